/**
 * The two signals of the fast path: hand the document to the reference, or wait for a context
 * to be processed and try again.
 *
 * @module
 */

/** Thrown inside the expansion when the reference path must take over. */
export class StepAside extends Error {}

/** Thrown inside the expansion when an active context is not processed yet. */
export class NeedsContext extends Error {
  constructor(readonly pending: Promise<void>) {
    super('context not processed yet')
  }
}
