// What an Online Boutique v0.10 service prints when a call it made failed, in its own format, so
// the sim shop's logs follow the traffic model (docs/traffic.md). The messages and error chains
// come from the upstream sources (GoogleCloudPlatform/microservices-demo, src/frontend/handlers.go,
// src/checkoutservice/main.go, src/cartservice/src/cartstore/RedisCartStore.cs and the
// Grpc.AspNetCore server's RpcConnectionError log); the ids and hosts in them are stand-ins.
import { randomUUID } from 'node:crypto';
import { PAGES, SERVICE_PORTS } from '../traffic/shop-calls.ts';
import { GRPC, type Hop } from '../traffic/traffic-model.ts';
import type { LogLine } from './boutique-log-lines.ts';

/** A line a failed call makes its caller print: `key` names the message (for rate limiting). */
export interface FailureLine {
  key: string;
  render: (at: Date) => LogLine[];
}

/** A product of the catalog, for the messages that name one (the real ones name the product asked for). */
const PRODUCT = 'OLJCESPC7Z';
/** The address the loadgenerator checks out with (locustfile.py). */
const EMAIL = 'someone@example.com';

const CODE_NAMES: Record<number, string> = {
  [GRPC.UNKNOWN]: 'Unknown',
  [GRPC.DEADLINE_EXCEEDED]: 'DeadlineExceeded',
  [GRPC.FAILED_PRECONDITION]: 'FailedPrecondition',
  [GRPC.INTERNAL]: 'Internal',
  [GRPC.UNAVAILABLE]: 'Unavailable',
};

const address = (hop: Hop) => `${hop.to}:${SERVICE_PORTS[hop.to].port}`;

/** The exception StackExchange.Redis raises in cartservice when redis-cart failed it. */
const redisException = (hop: Hop | undefined): string =>
  hop?.dropped
    ? `StackExchange.Redis.RedisTimeoutException: Timeout awaiting response (outbound=0KiB, inbound=0KiB, 5000ms elapsed, timeout is 5000ms), command=HMGET, next: HMGET ${randomUUID()}, serverEndpoint: ${address(hop)}`
    : `StackExchange.Redis.RedisConnectionException: No connection is active/available to service this operation: HMGET ${randomUUID()}; It was not possible to connect to the redis server(s). UnableToConnect on redis-cart:6379/Interactive`;

/** How checkoutservice wraps the failure of each call PlaceOrder makes. */
const checkoutDetail = (cause: Hop): string => {
  const inner = goError(cause);
  switch (cause.method) {
    case 'GetCart':
      return `cart failure: failed to get user cart during checkout: ${inner}`;
    case 'GetProduct':
      return `failed to prepare order: failed to get product #"${PRODUCT}"`;
    case 'Convert':
      return `failed to prepare order: failed to convert price of "${PRODUCT}" to USD`;
    case 'GetQuote':
      return `shipping quote failure: failed to get shipping quote: ${inner}`;
    case 'Charge':
      return `failed to charge card: could not charge the card: ${inner}`;
    case 'ShipOrder':
      return `shipping error: shipment failed: ${inner}`;
    default:
      return inner;
  }
};

/** The detail a service that failed puts in its gRPC status. */
const statusDetail = (hop: Hop): string => {
  if (hop.to === 'cartservice') return `Can't access cart storage. ${redisException(hop.cause)}`;
  if (!hop.cause) return `${hop.to}: ${hop.method} failed`;
  if (hop.to === 'checkoutservice') return checkoutDetail(hop.cause);
  return `Exception calling application: ${goError(hop.cause)}`;
};

/** The error a Go gRPC client (frontend, checkoutservice) gets for a failed call, as `%v` prints it. */
export const goError = (hop: Hop): string => {
  if (hop.dropped || hop.responseCode === 503)
    return `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp ${address(hop)}: ${hop.dropped ? 'i/o timeout' : 'connect: connection refused'}"`;
  const code = CODE_NAMES[hop.grpcStatus ?? GRPC.UNKNOWN] ?? 'Unknown';
  return `rpc error: code = ${code} desc = ${statusDetail(hop)}`;
};

/** What the frontend's handler wraps a failed call's error with (handlers.go). */
const frontendWrap = (hop: Hop): string => {
  switch (`${hop.to}.${hop.method}`) {
    case 'currencyservice.GetSupportedCurrencies':
      return 'could not retrieve currencies';
    case 'productcatalogservice.ListProducts':
      return 'could not retrieve products';
    case 'productcatalogservice.GetProduct':
      return hop.page === 'viewCart'
        ? `could not retrieve product #${PRODUCT}`
        : 'could not retrieve product';
    case 'cartservice.GetCart':
      return 'could not retrieve cart';
    case 'cartservice.AddItem':
      return 'failed to add to cart';
    case 'currencyservice.Convert':
      if (hop.page === 'home') return `failed to do currency conversion for product ${PRODUCT}`;
      return hop.page === 'viewCart'
        ? `could not convert currency for product #${PRODUCT}`
        : 'failed to convert currency';
    case 'shippingservice.GetQuote':
      return 'failed to get shipping quote';
    case 'checkoutservice.PlaceOrder':
      return 'failed to complete the order';
    default:
      return `failed to call ${hop.to}`;
  }
};

/** logrus's JSON formatter: fields sorted by key, the frontend's names for message and level. */
const logrusJson = (at: Date, level: string, message: string, fields: Record<string, string>): LogLine => {
  const all: Record<string, string> = { ...fields, message, severity: level, timestamp: at.toISOString() };
  const sorted = Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]]),
  );
  return { stream: 'stdout', text: JSON.stringify(sorted) };
};

const frontendLine = (hop: Hop): FailureLine => {
  if (hop.optional) {
    const message =
      hop.to === 'adservice' ? 'failed to retrieve ads' : 'failed to get product recommendations';
    return { key: message, render: (at) => [logrusJson(at, 'warning', message, requestFields(hop))] };
  }
  const wrap = frontendWrap(hop);
  return {
    key: `request error: ${wrap}`,
    render: (at) => [
      logrusJson(at, 'error', 'request error', { error: `${wrap}: ${goError(hop)}`, ...requestFields(hop) }),
    ],
  };
};

// The fields the frontend's logging middleware puts on every line of a request.
const requestFields = (hop: Hop): Record<string, string> => {
  const page = PAGES[hop.page];
  return {
    'http.req.id': randomUUID(),
    'http.req.method': page.method,
    'http.req.path': page.path.replace('{id}', PRODUCT),
    session: randomUUID(),
  };
};

/**
 * The line the caller of a failed call prints, or undefined when it prints nothing of its own
 * (checkoutservice and the Python and Node services return the error to their caller, which logs it).
 */
export const failureLine = (hop: Hop): FailureLine | undefined => {
  if (hop.ok) return undefined;
  if (hop.from === 'frontend') return frontendLine(hop);
  if (hop.from === 'cartservice' && hop.to === 'redis-cart')
    return {
      key: 'cart storage',
      render: () =>
        [
          'info: Grpc.AspNetCore.Server.ServerCallHandler[7]',
          `      Error status code 'FailedPrecondition' with detail 'Can't access cart storage. ${redisException(hop)}' raised.`,
        ].map((text) => ({ stream: 'stdout', text })),
    };
  if (hop.from === 'checkoutservice' && hop.to === 'emailservice')
    return {
      key: 'order confirmation',
      render: (at) => [
        logrusJson(at, 'warning', `failed to send order confirmation to "${EMAIL}": ${goError(hop)}`, {}),
      ],
    };
  return undefined;
};
