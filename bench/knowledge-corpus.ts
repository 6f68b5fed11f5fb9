// A realistic corpus of service answers for the search bench, generated from a seed so every run
// searches the same 200,000 rows.
//
// How it is made: 26 service areas (login, invoices, exports, webhooks, shipping, ...), each with
// its own things, problems, actions and settings paths, and a department. An answer picks an area
// (a few areas far more often than others, as real support traffic does), then a title from 10
// question shapes ("How do I <action> the <thing>?", "<Thing> <problem> after <event>",
// "<Integration>: <thing> <problem>", ...) and a body of 2-5 sentences from 12 sentence shapes
// filled with the area's words, shared support words (customer, account, plan, admin...), and a
// long tail: customer names made of syllables, integrations, plans, regions, error codes, ticket
// numbers and durations. So common words ("customer", "account") match tens of thousands of
// answers, an area's words thousands, and names or codes a handful: the spread a real knowledge
// base has, rather than one template that every query matches or noise that none does.
import { seededRandom } from '../tests/support/seeded-random.ts';

export interface GeneratedAnswer {
  title: string;
  body: string;
  departmentKey: string;
  themes: string[];
  status: 'active' | 'outdated' | 'retired';
}

interface Area {
  department: string;
  theme: string;
  things: string[];
  /** What goes wrong, after a thing: "is not syncing". */
  problems: string[];
  /** [verb, its -ing form]. */
  actions: Array<[string, string]>;
  places: string[];
}

const area = (
  department: string,
  theme: string,
  things: string,
  problems: string,
  actions: string,
  places: string,
): Area => ({
  department,
  theme,
  things: things.split(', '),
  problems: problems.split(', '),
  actions: actions.split(', ').map((pair) => pair.split('/') as [string, string]),
  places: places.split(', '),
});

// The first areas are picked most often (see `skewed`).
const AREAS: Area[] = [
  area(
    'support',
    'login',
    'password, login, account, sign-in page, reset link, session',
    'keeps expiring, is locked, does not arrive, fails with an error, asks for the code again',
    'reset/resetting, unlock/unlocking, change/changing, recover/recovering',
    'Admin > Users, Profile > Security, Settings > Sessions',
  ),
  area(
    'billing',
    'invoices',
    'invoice, receipt, credit note, billing address, tax ID, VAT number',
    'shows the wrong amount, is missing, was sent twice, has the old address',
    'download/downloading, resend/resending, correct/correcting, reissue/reissuing',
    'Billing > Invoices, Billing > Tax details, Billing > Documents',
  ),
  area(
    'billing',
    'payments',
    'credit card, payment method, bank transfer, direct debit, charge, payment',
    'was declined, was charged twice, failed overnight, is pending, cannot be updated',
    'update/updating, retry/retrying, refund/refunding, replace/replacing',
    'Billing > Payment method, Stripe dashboard, Billing > History',
  ),
  area(
    'billing',
    'subscriptions',
    'subscription, plan, trial, renewal, seat count, add-on',
    'renewed unexpectedly, shows the wrong price, did not upgrade, was cancelled by mistake',
    'cancel/cancelling, pause/pausing, upgrade/upgrading, downgrade/downgrading, extend/extending',
    'Billing > Plan, Admin panel > Subscriptions, CRM deal',
  ),
  area(
    'engineering',
    'data',
    'export, CSV file, report, backup, spreadsheet, import',
    'times out, is empty, has broken characters, never finishes, skips rows',
    'export/exporting, import/importing, schedule/scheduling, restore/restoring',
    'Reports > Export, Contacts > Import, Settings > Backups',
  ),
  area(
    'engineering',
    'api',
    'API token, API key, rate limit, endpoint, OAuth app, SDK',
    'returns 401, returns 429, is rejected, stopped working, times out',
    'create/creating, rotate/rotating, revoke/revoking, scope/scoping',
    'Settings > Developers, API console, Settings > OAuth apps',
  ),
  area(
    'engineering',
    'integrations',
    'webhook, sync, integration, connector, field mapping, callback',
    'is not delivered, is missing records, runs twice, was disabled, lags behind',
    'connect/connecting, resync/resyncing, map/mapping, reconnect/reconnecting',
    'Integrations > Settings, Settings > Webhooks, Integrations > Logs',
  ),
  area(
    'support',
    'email',
    'email, notification email, sender domain, newsletter, digest email, bounce',
    'goes to spam, is not received, shows the wrong sender, bounces',
    'verify/verifying, whitelist/whitelisting, unsubscribe/unsubscribing, configure/configuring',
    'Settings > Email, DNS records, Settings > Notifications',
  ),
  area(
    'support',
    'mobile',
    'mobile app, push notification, iPhone app, Android app, offline mode, widget',
    'crashes on start, stopped working, does not sync, drains the battery',
    'install/installing, update/updating, enable/enabling, log out/logging out',
    'App settings, Profile > Devices, phone settings',
  ),
  area(
    'billing',
    'seats',
    'seat, member, guest user, team, invitation, licence',
    'is counted twice, cannot be removed, expired, was not billed',
    'add/adding, remove/removing, invite/inviting, transfer/transferring',
    'Settings > Members, Admin > Teams, Billing > Seats',
  ),
  area(
    'legal',
    'privacy',
    'personal data, GDPR request, data processing agreement, retention policy, cookie banner, audit log',
    'is overdue, needs a signature, was rejected, covers the wrong entity',
    'delete/deleting, sign/signing, anonymise/anonymising, review/reviewing',
    'Settings > Legal, legal wiki, Settings > Privacy',
  ),
  area(
    'legal',
    'security',
    'security questionnaire, penetration test report, SOC 2 report, SSO, two-factor authentication, IP allowlist',
    'is out of date, is requested by procurement, blocks the login, is not enforced',
    'share/sharing, enforce/enforcing, disable/disabling, renew/renewing',
    'Settings > Security, security folder, trust portal',
  ),
  area(
    'operations',
    'shipping',
    'order, shipment, tracking number, delivery, return label, customs form',
    'is delayed, is lost, went to the wrong address, is stuck in customs',
    'track/tracking, reroute/rerouting, return/returning, replace/replacing',
    'operations portal, order page, courier site',
  ),
  area(
    'operations',
    'hardware',
    'card reader, receipt printer, barcode scanner, tablet stand, cash drawer, charging dock',
    'does not pair, shows a blank screen, keeps disconnecting, arrived broken',
    'pair/pairing, reset/resetting, return/returning, update/updating',
    'device settings, operations portal, Hardware > Devices',
  ),
  area(
    'sales',
    'pricing',
    'discount, quote, price list, coupon, nonprofit discount, annual plan',
    'was not applied, expired, needs approval, shows the old price',
    'apply/applying, approve/approving, extend/extending, quote/quoting',
    'CRM deal, Sales > Pricing, coupon admin',
  ),
  area(
    'success',
    'onboarding',
    'onboarding call, training session, academy course, welcome email, kickoff meeting, workspace setup',
    'was missed, needs rescheduling, has no invite, is not in the customer language',
    'book/booking, reschedule/rescheduling, share/sharing, record/recording',
    'calendar link, academy, success playbook',
  ),
  area(
    'engineering',
    'performance',
    'dashboard, search, page, report builder, timeline, calendar view',
    'loads slowly, freezes, shows a spinner, times out under load',
    'speed up/speeding up, split/splitting, cache/caching, profile/profiling',
    'status page, Settings > Performance, engineering runbook',
  ),
  area(
    'support',
    'incidents',
    'outage, incident, status page, maintenance window, degraded service, postmortem',
    'is not announced, lasts longer than planned, affects one region, is reported by customers',
    'announce/announcing, escalate/escalating, follow/following, link/linking',
    'status page, incident channel, on-call runbook',
  ),
  area(
    'support',
    'localisation',
    'app language, date format, time zone, currency, translation, right-to-left layout',
    'shows the wrong format, is missing a string, resets after login, is not supported',
    'change/changing, translate/translating, set/setting, override/overriding',
    'Profile > Language, Settings > Regional, workspace defaults',
  ),
  area(
    'support',
    'projects',
    'project, folder, file, template, archive, trash',
    'was deleted by mistake, cannot be opened, is read-only, disappeared',
    'restore/restoring, move/moving, duplicate/duplicating, archive/archiving',
    'Settings > Trash, project menu, Admin > Projects',
  ),
  area(
    'success',
    'enterprise',
    'SLA, contract, renewal, account review, support plan, escalation path',
    'is up for renewal, needs legal review, was breached, is unclear to the customer',
    'renew/renewing, negotiate/negotiating, review/reviewing, document/documenting',
    'contract folder, CRM account, success playbook',
  ),
  area(
    'engineering',
    'automation',
    'workflow, automation rule, trigger, scheduled job, approval step, condition',
    'does not fire, runs twice, loops forever, skips some records',
    'build/building, pause/pausing, debug/debugging, test/testing',
    'Automations > Rules, workflow builder, job log',
  ),
  area(
    'support',
    'accounts',
    'account owner, email address, username, profile, workspace, organisation',
    'cannot be changed, belongs to someone who left, was merged by mistake, shows an old name',
    'transfer/transferring, merge/merging, rename/renaming, verify/verifying',
    'Settings > Members, Profile > Email, Admin > Workspace',
  ),
  area(
    'operations',
    'stock',
    'inventory, stock level, warehouse, purchase order, supplier, back order',
    'shows the wrong count, is out of sync, was not received, is on hold',
    'count/counting, adjust/adjusting, reorder/reordering, receive/receiving',
    'Inventory > Stock, warehouse app, purchasing portal',
  ),
  area(
    'sales',
    'trials',
    'free trial, demo account, sandbox, pilot, proof of concept, trial extension',
    'expired early, has no sample data, cannot be converted, was extended twice',
    'extend/extending, convert/converting, reset/resetting, set up/setting up',
    'admin panel, Sales > Trials, demo environment',
  ),
  area(
    'engineering',
    'search',
    'search index, filter, saved view, tag, custom field, search result',
    'misses recent items, shows deleted items, ignores accents, is empty',
    'reindex/reindexing, rebuild/rebuilding, filter/filtering, tag/tagging',
    'Settings > Search, view menu, Admin > Fields',
  ),
];

const INTEGRATIONS =
  'Salesforce, HubSpot, Zapier, Jira, Zendesk, Intercom, Shopify, Stripe, QuickBooks, Xero, NetSuite, Okta, Azure AD, Google Workspace, Microsoft Teams, Mailchimp, Pipedrive, Asana, Trello, Notion, Dropbox, Box, DocuSign, Twilio, Segment, Snowflake, BigQuery, Looker, Tableau, Marketo'.split(
    ', ',
  );
const PLANS = ['Free', 'Starter', 'Team', 'Business', 'Enterprise', 'Education', 'Nonprofit'];
const SEGMENTS = ['enterprise', 'nonprofit', 'education', 'EU', 'US', 'new', 'trial', 'annual', 'monthly', 'reseller'];
const EVENTS = [
  'the last release',
  'a plan change',
  'the migration',
  'a password reset',
  'the renewal',
  'an outage',
  'the import',
  'the SSO switch',
  'a merge',
  'the holidays',
];
const REGIONS = ['Frankfurt', 'Virginia', 'Dublin', 'Sydney', 'Singapore', 'Tokyo', 'Montreal', 'London'];
const CAUSES = [
  'a browser extension blocks it',
  'the cache still holds the old value',
  'the customer is on an old version',
  'the admin turned the setting off',
  'the sync ran before the change',
  'their firewall drops our callbacks',
  'two people edited it at once',
  'the limit of the plan was reached',
  'the time zone of the workspace differs',
  'a filter hides it',
];
const WAITS = ['15 minutes', 'an hour', 'four hours', 'one working day', 'two working days', 'a week', '30 days'];
const SYLLABLES =
  'ar bel cor dan el fen gar hal is jor kel lin mar nor ol pen quin ros sel tor ul ven wil xan yor zel bri cas dro fal gre hol'.split(
    ' ',
  );

/** `count` answers, the same for the same seed. */
export function* generateAnswers(count: number, seed = 15): Generator<GeneratedAnswer> {
  const random = seededRandom(seed);
  // Skewed towards the start of a list: the first items come up often, the last ones rarely.
  const skewed = <T>(list: readonly T[]): T => list[Math.floor(list.length * random() ** 1.8)]!;
  const any = <T>(list: readonly T[]): T => list[Math.floor(list.length * random())]!;
  const number = (max: number) => 1 + Math.floor(random() * max);
  const customer = () => {
    const name = `${any(SYLLABLES)}${any(SYLLABLES)}${random() < 0.5 ? any(SYLLABLES) : ''}`;
    return `${name[0]!.toUpperCase()}${name.slice(1)} ${any(['Ltd', 'Inc', 'GmbH', 'Foods', 'Labs', 'Group', 'Health'])}`;
  };
  const capital = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

  for (let n = 0; n < count; n++) {
    const a = skewed(AREAS);
    const thing = skewed(a.things);
    const other = any(a.things);
    const [verb, verbing] = any(a.actions);
    const problem = any(a.problems);
    const place = any(a.places);
    const titles = [
      () => `How do I ${verb} the ${thing}?`,
      () => `${capital(thing)} ${problem}`,
      () => `Customer says the ${thing} ${problem}`,
      () => `Can we ${verb} the ${thing} for ${any(SEGMENTS)} customers?`,
      () => `${capital(thing)} ${problem} after ${any(EVENTS)}`,
      () => `${any(INTEGRATIONS)}: ${thing} ${problem}`,
      () => `${capital(verbing)} the ${thing} on the ${any(PLANS)} plan`,
      () =>
        `Error ${any(['400', '401', '403', '404', '409', '422', '429', '500', '502', '503'])} when ${verbing} the ${thing}`,
      () => `What to check when the ${thing} ${problem}`,
      () => `${customer()} wants to ${verb} their ${thing}`,
    ];
    const sentences = [
      () => `Go to ${place} and ${verb} the ${thing} there.`,
      () => `This usually happens when ${any(CAUSES)}.`,
      () => `If the ${other} ${any(a.problems)}, ${a.department} can ${any(a.actions)[0]} it from ${any(a.places)}.`,
      () => `Only admins on the ${any(PLANS)} plan can ${verb} the ${other}.`,
      () => `Allow ${any(WAITS)} before asking the customer to try again.`,
      () => `${customer()} had the same problem; see ticket ${any(['SUP', 'BIL', 'ENG', 'OPS'])}-${number(9999)}.`,
      () => `Data for ${any(SEGMENTS)} accounts is hosted in ${any(REGIONS)}.`,
      () => `With ${any(INTEGRATIONS)} connected, changes to the ${other} can take ${any(WAITS)} to show.`,
      () => `Tell the customer the ${thing} is fixed in version ${number(9)}.${number(30)}.`,
      () =>
        `Escalate to ${a.department} with the account ID and a screenshot if it still ${any(a.problems).replace(/^is /, 'stays ')}.`,
      () => `Never share the ${thing} of one account with another customer.`,
      () => `Send them the help article on ${verbing} the ${other}.`,
    ];
    const body = Array.from({ length: 2 + number(4) - 1 }, () => any(sentences)()).join(' ');
    const roll = random();
    yield {
      title: any(titles)(),
      body,
      departmentKey: a.department,
      themes: random() < 0.3 ? [a.theme, any(AREAS).theme] : [a.theme],
      status: roll < 0.02 ? 'retired' : roll < 0.07 ? 'outdated' : 'active',
    };
  }
}
