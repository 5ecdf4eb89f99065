/**
 * The e2e stack's step-up window (`STEP_UP_MAX_AGE_SECONDS` on the edge): short, so the
 * browser test of account security changes can wait it out (account_security.browser.e2e.test.ts).
 * No other e2e test changes account settings.
 */
export const STEP_UP_MAX_AGE_SECONDS = 8
