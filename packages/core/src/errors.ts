// Domain failures carry a code from the problem catalogue; the HTTP layer turns them into problem+json.
export type DomainErrorCode = 'not_found' | 'forbidden' | 'conflict' | 'validation_failed';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError('not_found', `${what} not found`);
export const forbidden = (why: string): DomainError => new DomainError('forbidden', why);
