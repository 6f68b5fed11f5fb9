import type { Feature } from '../deps.ts';
import { register } from './webhooks.listeners.ts';

/** Outgoing webhooks: Frontline's events, signed and delivered through an outbox to URLs admins subscribe. */
export const webhooksFeature: Feature = { name: 'webhooks', register };
