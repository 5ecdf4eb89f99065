/**
 * The reference provider's user directory: the bench users, in memory, with
 * hashed passwords, and the `findAccount` oidc-provider asks for claims.
 */
import { BENCH_PASSWORD, benchUserEmail, benchUserName } from "../bench_seed.ts"
import { hashPassword, type PasswordHash } from "./password_hash.ts"

export interface Account {
  readonly id: string
  readonly email: string
  readonly name: string
  readonly password: PasswordHash
}

/** Accounts by email and by id. */
export interface AccountDirectory {
  readonly byEmail: ReadonlyMap<string, Account>
  readonly byId: ReadonlyMap<string, Account>
}

/** Hashes the passwords of `count` bench users (in parallel on the libuv pool). */
export const loadBenchAccounts = async (count: number): Promise<AccountDirectory> => {
  const accounts = await Promise.all(
    Array.from({ length: count }, async (_, i): Promise<Account> => ({
      id: `user-${i}`,
      email: benchUserEmail(i),
      name: benchUserName(i),
      password: await hashPassword(BENCH_PASSWORD)
    }))
  )
  return { byEmail: new Map(accounts.map((a) => [a.email, a])), byId: new Map(accounts.map((a) => [a.id, a])) }
}

/** oidc-provider's `findAccount`: the claims sub/email/email_verified/name (filtered by scope by the provider). */
export const findAccountIn = (directory: AccountDirectory) => async (_ctx: unknown, id: string) => {
  const account = directory.byId.get(id)
  if (account === undefined) return undefined
  return {
    accountId: account.id,
    claims: async () => ({ sub: account.id, email: account.email, email_verified: true, name: account.name })
  }
}
