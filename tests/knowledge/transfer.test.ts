// Admins seed and back up answers: `npm run answers -- import|export` on the embedded database or
// DATABASE_URL (run as the operator would, as a process), and `answers` in FRONTLINE_CONFIG.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { answers } from '../../src/knowledge/knowledge.table.ts';
import { parseAnswersFile } from '../../src/knowledge/knowledge.transfer.ts';
import { startTestApp } from '../support/test-app.ts';
import { createTestDatabase } from '../support/test-database.ts';

const dir = mkdtempSync(join(tmpdir(), 'frontline-answers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** `npm run answers -- <args>` against DATABASE_URL when given, else the embedded database in `dataDir`. */
function answersCommand(args: string[], where: { url?: string; dataDir: string }) {
  return spawnSync('npm', ['run', '--silent', 'answers', '--', ...args], {
    env: { PATH: process.env.PATH, DATA_DIR: where.dataDir, ...(where.url ? { DATABASE_URL: where.url } : {}) },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const SEED = {
  answers: [
    {
      title: 'How do I reset a customer’s password?',
      body: 'Admin console → Users → *Reset password*. <!channel> is not needed.',
      credited: ['U0MARIA'],
      skills: ['accounts'],
    },
    { title: 'What is our refund policy?', body: 'Full refund within 30 days.', status: 'outdated' },
    { title: 'Old pricing', body: 'Ten dollars a seat.', status: 'retired', themes: ['pricing'] },
  ],
};

describe('npm run answers', () => {
  it('imports, upserts by title, refuses a bad file whole, and exports what imports back the same', async () => {
    // Directly in the temporary folder: the embedded server's own user must reach it.
    const dataDir = mkdtempSync(join(tmpdir(), 'frontline-answers-data-'));
    const embedded = { dataDir };

    const imported = answersCommand(['import', file('seed.json', SEED)], embedded);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('Imported 3 answers');
    expect(imported.stdout).toContain('3 new, 0 updated, 0 unchanged');
    expect(imported.status).toBe(0);

    // By title: one changed, one the same; a new one added.
    const update = {
      answers: [
        { title: 'what is our refund policy? ', body: 'Full refund within 60 days.' },
        SEED.answers[0],
        {
          title: 'Do we support SSO?',
          body: 'Yes, SAML on the Business plan.',
          permalink: 'https://example.slack.com/archives/C1/p1',
        },
      ],
    };
    expect(answersCommand(['import', file('update.json', update)], embedded).stdout).toContain(
      '1 new, 1 updated, 1 unchanged',
    );

    const bad = answersCommand(
      [
        'import',
        file('bad.json', [
          { title: 'A good one', body: 'Fine.' },
          { title: 'Refund?', body: 3 },
          { title: 'Do we support SSO?', body: 'Yes.', credited: ['maria'] },
        ]),
      ],
      embedded,
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('was not imported; nothing was changed');
    expect(bad.stderr).toContain('Item 2 (“Refund?”), body: Invalid input: expected string, received number');
    expect(bad.stderr).toContain('Item 3 (“Do we support SSO?”), credited.0: must be a Slack user ID');
    const twice = answersCommand(
      [
        'import',
        file('twice.json', [
          { title: 'A good one', body: 'Fine.' },
          { title: 'A GOOD ONE', body: 'Twice.' },
        ]),
      ],
      embedded,
    );
    expect(twice.stderr).toContain('Item 2 (“A GOOD ONE”), title: is the same as item 1');
    const notJson = answersCommand(
      ['import', file('broken.json', '{\n  "answers": [\n    { "title": "x", }\n  ]\n}')],
      embedded,
    );
    expect(notJson.stderr).toContain('not valid JSON (line 3, column');
    const noDepartment = answersCommand(
      ['import', file('dept.json', [{ title: 'Who handles VAT?', body: 'Billing does.', department: 'billing' }])],
      embedded,
    );
    expect(noDepartment.stderr).toContain('Item 1 (“Who handles VAT?”), department: there is no department billing');
    expect(answersCommand(['frobnicate'], embedded).stderr).toContain('npm run answers -- import <file.json>');

    const exported = answersCommand(['export'], embedded);
    expect(exported.status).toBe(0);
    const backup = JSON.parse(exported.stdout) as { answers: Array<Record<string, unknown>> };
    expect(backup.answers.map((a) => a.title)).toEqual([
      // Imported together, then by question.
      'How do I reset a customer’s password?',
      'Old pricing',
      'what is our refund policy?', // matched whatever its case, and now spelled as the file spells it
      'Do we support SSO?',
    ]);
    expect(backup.answers[1]).toMatchObject({ status: 'retired', themes: ['pricing'] });
    expect(backup.answers[2]).toMatchObject({ body: 'Full refund within 60 days.', status: 'active' });
    expect(parseAnswersFile(exported.stdout).ok).toBe(true);

    // Into another database, through DATABASE_URL: the same answers, ids and all.
    const other = await createTestDatabase();
    try {
      const server = { url: other.url, dataDir };
      const restored = answersCommand(['import', file('backup.json', exported.stdout)], server);
      expect(restored.stdout).toContain('4 new, 0 updated, 0 unchanged');
      expect(JSON.parse(answersCommand(['export'], server).stdout)).toEqual(backup);
      expect(answersCommand(['import', file('backup.json', exported.stdout)], server).stdout).toContain('4 unchanged');
    } finally {
      await other.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('answers in FRONTLINE_CONFIG', () => {
  it('are upserted by title at start, tagged with the file’s departments, and found', async () => {
    const path = file('config.json', {
      departments: [{ key: 'billing', name: 'Billing', channel: 'C0BILLING' }],
      answers: [
        { title: 'Who handles VAT questions?', body: 'Billing does, within a day.', department: 'billing' },
        ...SEED.answers,
      ],
    });
    const app = await startTestApp({ env: { FRONTLINE_CONFIG: path } });
    try {
      const [vat] = await app.deps.db.select().from(answers).where(eq(answers.title, 'Who handles VAT questions?'));
      expect(vat).toMatchObject({ departmentKey: 'billing', sourceKind: 'import', status: 'active' });
      expect(await app.deps.db.select().from(answers)).toHaveLength(4);
    } finally {
      await app.stop();
    }
  });

  it.each([
    [
      'an answer with no body',
      { answers: [{ title: 'Who handles VAT?' }] },
      'answers.0.body Invalid input: expected string, received undefined',
    ],
    [
      'an answer tagged with an unknown department',
      { answers: [{ title: 'Who handles VAT?', body: 'Billing.', department: 'billing' }] },
      'answers: Item 1 (“Who handles VAT?”), department: there is no department billing',
    ],
    [
      'a question listed twice',
      {
        answers: [
          { title: 'Who handles VAT?', body: 'Billing.' },
          { title: 'who handles vat?', body: 'Finance.' },
        ],
      },
      'answers.1.title is the same as item 1',
    ],
  ])('refuse to start with %s, naming the problem', async (_, content, problem) => {
    const error = await startTestApp({ env: { FRONTLINE_CONFIG: file('bad-config.json', content) } }).then(
      (app) => app.stop().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(problem);
  });
});
