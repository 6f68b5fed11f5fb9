// The sessions message and the host's message as pure views: what they list, cap and strike out.
import { describe, expect, it } from 'vitest';
import type { SessionWithRotation } from '../../src/rotations/sessions.repository.ts';
import { hostSessionMessage, sessionsMessage } from '../../src/rotations/sessions.views.ts';

const WEEK = 7 * 86_400_000;
const seat = (week: number, over: Partial<SessionWithRotation> = {}): SessionWithRotation => ({
  id: 100 + week,
  rotationId: 1,
  startsAt: new Date(Date.parse('2026-12-08T14:00:00Z') + week * WEEK),
  localDate: '2026-12-08',
  durationMinutes: 60,
  seat: 1,
  hostId: 'UHOST',
  shadowId: 'USHADOW',
  status: 'offered',
  offeredAt: new Date(),
  createdAt: new Date(),
  updatedAt: new Date(),
  rotationName: 'Eng',
  rotationCreatedBy: 'UADMIN',
  rotationDeletedAt: null,
  ...over,
});
const shown = (m: { blocks?: unknown[] }) => JSON.stringify(m.blocks);
const actionBlocks = (m: { blocks?: unknown[] }) =>
  (m.blocks as { type: string }[]).filter((b) => b.type === 'actions').length;

describe('sessionsMessage', () => {
  it('lists ten sessions with their buttons and says how many more come later', () => {
    const message = sessionsMessage({ upcoming: Array.from({ length: 13 }, (_, i) => seat(i)), withdrawn: [] });
    expect(actionBlocks(message)).toBe(10);
    expect(shown(message)).toContain('And 3 later sessions: they show here as these pass.');
    expect(message.text).toMatch(
      /^13 shadow sessions planned for you\. Next: Eng, <!date\^\d+\^.*>, with <@UHOST>\. 13 waiting/,
    );
    expect((message.blocks ?? []).length).toBeLessThanOrEqual(50);
  });

  it('strikes out sessions no longer theirs, unless the same session is theirs again', () => {
    const message = sessionsMessage({
      upcoming: [seat(0, { status: 'accepted' })],
      withdrawn: [seat(0, { id: 90, status: 'cancelled' }), seat(1, { status: 'declined' })],
    });
    expect(shown(message)).toContain('(you passed it on)');
    expect(shown(message)).not.toContain('(the plan changed)');
    expect(message.text).not.toContain('waiting for your answer');
  });

  it('says when nothing is planned', () => {
    expect(sessionsMessage({ upcoming: [], withdrawn: [] }).text).toBe(
      'You have no shadow sessions planned right now.',
    );
  });
});

describe('hostSessionMessage', () => {
  it('names every shadow with their answer, and who passed it on', () => {
    const message = hostSessionMessage(
      [
        seat(0, { status: 'accepted' }),
        seat(0, { seat: 2, shadowId: 'UTWO' }),
        seat(0, { shadowId: 'UOUT', status: 'declined' }),
      ],
      'UHOST',
    )!;
    expect(message.text).toMatch(
      /^<@USHADOW> \(accepted\) and <@UTWO> \(not answered yet\) will shadow you in your Eng session: /,
    );
    expect(message.text).toContain("<@UOUT> can't make it.");
  });

  it('says why nobody shadows them any more', () => {
    expect(hostSessionMessage([seat(0, { status: 'declined' })], 'UHOST')!.text).toContain(
      "Nobody shadows you in this session now: <@USHADOW> can't make it and nobody else is free that day.",
    );
    expect(hostSessionMessage([seat(0, { hostId: 'UNEW' })], 'UHOST')!.text).toContain(
      '<@UNEW> hosts this session now.',
    );
    expect(
      hostSessionMessage([seat(0, { status: 'cancelled', rotationDeletedAt: new Date() })], 'UHOST')!.text,
    ).toContain('The rotation was deleted');
  });
});
