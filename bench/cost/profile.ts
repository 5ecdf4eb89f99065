/**
 * The usage profile the 10 M MAU cost model and docs/scale.md assume. These
 * are assumptions, written down so anyone can change them and re-run
 * `npm run bench`; every cost per operation they multiply is measured.
 */
export const profile = {
  /** Monthly active users. */
  monthlyActiveUsers: 10_000_000,
  /**
   * Per active user per month. A consumer app: ~30 % of MAU active on a given
   * day, about one sign-in a week (sessions last days), an access token of 1 h
   * refreshed ~2× per active day, a few profile fetches and resource-server
   * introspections beyond the one /userinfo inside each sign-in.
   */
  perUserPerMonth: {
    /** Full sign-ins (authorize → login → consent → code → token → userinfo), measured WITH the consent screen (a repeat sign-in skips it, so this overstates). */
    "sign-in": 4,
    refresh: 20,
    userinfo: 10,
    introspection: 10
  },
  /** Machine-to-machine tokens per month, not per user: ~2,000 services × one token an hour. */
  clientCredentialsPerMonth: 1_500_000,
  /** Peak-hour request rate as a multiple of the month's average rate (consumer traffic peaks ~2–3× daily; 10× leaves room for launches and retries). */
  peakFactor: 10,
  /** Wall-clock time a Durable Object is active per request (duration billing, 128 MB); an assumption, DO storage calls are sub-millisecond. */
  doActiveMsPerRequest: 5,
  /** CPU time per edge request, except sign-ins (signing + JSON), and per sign-in (PBKDF2-SHA256 at 100,000 iterations dominates). */
  cpuMsPerRequest: 2,
  cpuMsPerSignIn: 60,
  /**
   * Keys-worker isolates running at once worldwide: each asks the KeyManager
   * singleton for the signing key once per minute (signing_key_cache.ts),
   * independent of traffic — so it is modelled here, not from the bench's
   * cold-cache counts.
   */
  keysIsolates: 1_000,
  /**
   * Purge alarms (each a billed Durable Object request): a busy object sweeps
   * at most once per its minimum spacing — modelled as every object of the
   * class sweeping that often all month (an upper bound). Refresh families
   * live in 8 objects per client; 100 clients with traffic assumed.
   */
  purgeAlarms: {
    RateLimiterCounter: { objects: 1000, everySeconds: 60 },
    ChallengeStore: { objects: 64, everySeconds: 60 },
    AuthorizationCodeStore: { objects: 32, everySeconds: 60 },
    TokenRevocationStore: { objects: 32, everySeconds: 60 },
    RefreshTokenRotator: { objects: 800, everySeconds: 60 },
    RefreshFamilyIndex: { objects: 32, everySeconds: 60 },
    SessionStore: { objects: 100, everySeconds: 900 }
  },
  /** Stored state: users (~1 KB with credentials), cold sessions (~1 KB), consents, clients — in D1; codes, families, counters in DOs. */
  d1StorageGb: 25,
  doStorageGb: 10
} as const

/** Seconds in the 30-day month the model uses. */
export const secondsPerMonth = 30 * 24 * 3600
