import { NightshiftError } from '../errors.js';

/** The bus is closing or closed: the delivery stops without a commit and comes again later. */
export class BusClosedError extends NightshiftError {
  constructor(message = 'the bus is closed') {
    super('BUS_CLOSED', message, { retriable: true });
  }
}
