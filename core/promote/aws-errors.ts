// How AWS SDK failures become KartStreamErrors: missing credentials get the ways to provide them,
// "not found" is told apart from failure, and an emulator's missing API is recognised as such.
import { isKartStreamError, KartStreamError } from '../errors/kartstream-error.ts';
import type { AwsClients } from './aws-clients.ts';

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}
const sdk = (error: unknown): SdkError => (typeof error === 'object' && error ? (error as SdkError) : {});

const NOT_FOUND = new Set(['ResourceNotFoundException', 'NoSuchEntityException', 'NoSuchEntity']);

// True when the error says the thing asked about does not exist.
export const isNotFound = (error: unknown): boolean => {
  const { name, message = '' } = sdk(error);
  if (name && NOT_FOUND.has(name)) return true;
  return name === 'ValidationError' && /does not exist/.test(message);
};

// True when an overridden endpoint (moto) answered that it has no such API: an HTML 404 page.
export const isUnsupportedByEndpoint = (clients: AwsClients, error: unknown): boolean => {
  if (!clients.endpoint) return false;
  const { name = '', message = '', $metadata } = sdk(error);
  const status = $metadata?.httpStatusCode;
  return (
    (status === 404 || status === 501) &&
    (name === 'SyntaxError' || name === 'UnknownError' || /<!doctype|not implemented/i.test(message))
  );
};

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError']);

// Turns an SDK failure into a KartStreamError that says what failed and what to do.
export const awsFailure = (what: string, error: unknown, clients?: AwsClients): KartStreamError => {
  if (isKartStreamError(error)) return error;
  const { name = 'Error', message = String(error) } = sdk(error);
  if (CREDENTIAL_ERRORS.has(name)) {
    return new KartStreamError('backend-unavailable', `failed to ${what}: no AWS credentials were found`, {
      cause: error,
      details: [
        message,
        'looked in: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the shared config and credentials files (AWS_PROFILE or --profile), SSO, credential_process, container and instance roles',
      ],
      fix: 'run `aws configure` or `aws sso login --profile NAME` and pass --profile NAME, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    });
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken') {
    return new KartStreamError('backend-unavailable', `failed to ${what}: the AWS credentials have expired`, {
      cause: error,
      fix: 'refresh them (e.g. `aws sso login`) and run the command again',
    });
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation') {
    return new KartStreamError('backend-unavailable', `failed to ${what}: access denied`, {
      cause: error,
      details: [message],
      fix: 'use a principal allowed to manage CloudFormation, EC2, IAM and EKS (see docs/promote.md)',
    });
  }
  const where = clients?.endpoint ? ` (endpoint ${clients.endpoint})` : '';
  return new KartStreamError('cluster-failed', `failed to ${what}${where}: ${name}: ${message}`, {
    cause: error,
  });
};

// Runs an AWS call; a failure becomes awsFailure(what).
export const aws = async <T>(what: string, call: () => Promise<T>, clients?: AwsClients): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw awsFailure(what, error, clients);
  }
};
