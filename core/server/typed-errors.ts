// Engine errors typed for tRPC: every KartStreamError a service throws (from a promise, a call or
// a stream) becomes a TRPCError with a matching HTTP status and the engine error as its cause.
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { KartStreamServices } from '../contract/services.ts';
import { isKartStreamError } from '../errors/kartstream-error.ts';

const TRPC_CODES: Partial<Record<string, TRPC_ERROR_CODE_KEY>> = {
  'invalid-input': 'BAD_REQUEST',
  'invalid-topology': 'BAD_REQUEST',
  'invalid-manifests': 'BAD_REQUEST',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  timeout: 'TIMEOUT',
  canceled: 'CLIENT_CLOSED_REQUEST',
  'missing-binary': 'PRECONDITION_FAILED',
  'backend-unavailable': 'PRECONDITION_FAILED',
};

// An engine error becomes a TRPCError with a matching HTTP status; the router's errorFormatter
// reads the KartStreamError back from `cause` into `data.wire`.
const asTrpcError = (error: unknown): unknown =>
  isKartStreamError(error)
    ? new TRPCError({
        code: TRPC_CODES[error.code] ?? 'INTERNAL_SERVER_ERROR',
        message: error.message,
        cause: error,
      })
    : error;

async function* typedIterable<T>(source: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* source;
  } catch (error) {
    throw asTrpcError(error);
  }
}

/** The services with every thrown engine error (from a promise or a stream) typed for tRPC. */
export const withTypedErrors = (services: KartStreamServices): KartStreamServices => {
  const area = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(obj, args);
          } catch (error) {
            throw asTrpcError(error);
          }
          if (result instanceof Promise)
            return result.catch((error: unknown) => Promise.reject(asTrpcError(error)));
          if (result && typeof result === 'object' && Symbol.asyncIterator in result)
            return typedIterable(result as AsyncIterable<unknown>);
          return result;
        };
      },
    });
  return Object.fromEntries(
    Object.entries(services).map(([name, impl]) => [name, area(impl as object)]),
  ) as unknown as KartStreamServices;
};
