/**
 * The one Node API the contracts use (`AsyncLocalStorage`, for the cost meter).
 * Workers get it from `nodejs_compat`; the workers type set has no Node types
 * and pulling all of `@types/node` into a worker would clash with the web
 * types, so only this is declared. Node-side programs (scripts) get the same
 * declaration from `@types/node`.
 */
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined
    run<R>(store: T, callback: () => R): R
  }
}
