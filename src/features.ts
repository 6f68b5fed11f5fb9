import { departmentsFeature } from './departments/index.ts';
import type { Feature } from './deps.ts';
import { digestsFeature } from './digests/index.ts';
import { escalationsFeature } from './escalations/index.ts';
import { feedbackFeature } from './feedback/index.ts';
import { helpRequestsFeature } from './help-requests/index.ts';
import { homeFeature } from './home/index.ts';
import { knowledgeFeature } from './knowledge/index.ts';
import { rotationsFeature } from './rotations/index.ts';
import { settingsFeature } from './settings/index.ts';
import { housekeepingFeature } from './slack/housekeeping.ts';
import { webhooksFeature } from './webhooks/index.ts';

/** Every capability, in the order its help appears. Settings comes last so its help lists every setting. */
export const features: Feature[] = [
  departmentsFeature,
  escalationsFeature,
  helpRequestsFeature,
  rotationsFeature,
  feedbackFeature,
  knowledgeFeature,
  digestsFeature,
  homeFeature,
  housekeepingFeature,
  webhooksFeature,
  settingsFeature,
];
