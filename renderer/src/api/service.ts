/** The one service client of this page, created at start-up. */
import type { ServiceClient } from './client.js';
import { connect } from './connect.js';

let instance: ServiceClient | null = null;

export function service(): ServiceClient {
  instance ??= connect();
  return instance;
}
