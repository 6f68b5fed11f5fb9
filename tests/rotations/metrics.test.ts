// The digest's shadowing numbers for a time range, checked against seeded sessions and reflections.
import { describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src/rotations/rotations.models.ts';
import { rotations, shadowReflections, shadowSessions } from '../../src/rotations/rotations.table.ts';
import { createSessionsRepository } from '../../src/rotations/sessions.repository.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

describe('sessions metrics for the digest', () => {
  it('counts held, no-shows and unmarked seats inside the range only, with the most useful reflections first', async () => {
    const db = t.deps.db;
    const [rotation] = await db
      .insert(rotations)
      .values({
        name: 'Metrics',
        cadence: 'weekly',
        weekday: 3,
        startTime: '14:00',
        durationMinutes: 60,
        timezone: 'UTC',
        anchorDate: '2026-01-01',
        createdBy: 'UADMIN01',
      })
      .returning();
    const seat = async (
      iso: string,
      status: SessionStatus,
      shadowId: string,
      reflection?: { usefulness: number; fix: string },
    ) => {
      const [row] = await db
        .insert(shadowSessions)
        .values({
          rotationId: rotation!.id,
          startsAt: new Date(iso),
          localDate: iso.slice(0, 10),
          durationMinutes: 60,
          seat: 1,
          hostId: 'UHOST',
          shadowId,
          status,
        })
        .returning();
      if (reflection)
        await db.insert(shadowReflections).values({
          sessionId: row!.id,
          userId: shadowId,
          surprised: 'queue size',
          ...reflection,
          createdAt: new Date(iso),
        });
    };
    await seat('2026-03-01T23:59:00Z', 'held', 'UBEFORE', { usefulness: 5, fix: 'outside the range' });
    await seat('2026-03-02T00:00:00Z', 'held', 'UA', { usefulness: 3, fix: 'search in the help centre' });
    await seat('2026-03-04T13:00:00Z', 'held', 'UB', { usefulness: 5, fix: 'refund form' });
    await seat('2026-03-05T13:00:00Z', 'no_show', 'UC');
    await seat('2026-03-06T13:00:00Z', 'accepted', 'UD');
    await seat('2026-03-07T13:00:00Z', 'declined', 'UE');
    await seat('2026-03-09T00:00:00Z', 'held', 'UAFTER', { usefulness: 4, fix: 'outside the range too' });

    const metrics = await createSessionsRepository(t.deps).metrics({
      from: new Date('2026-03-02T00:00:00Z'),
      to: new Date('2026-03-09T00:00:00Z'),
    });
    expect(metrics).toMatchObject({ held: 2, noShows: 1, unmarked: 1, averageUsefulness: 4 });
    expect(metrics.highlights.map((h) => h.fix)).toEqual(['refund form', 'search in the help centre']);
    expect(metrics.highlights[0]).toMatchObject({
      userId: 'UB',
      rotationName: 'Metrics',
      usefulness: 5,
      surprised: 'queue size',
    });

    const empty = await createSessionsRepository(t.deps).metrics({
      from: new Date('2025-01-01T00:00:00Z'),
      to: new Date('2025-01-08T00:00:00Z'),
    });
    expect(empty).toEqual({ held: 0, noShows: 0, unmarked: 0, averageUsefulness: null, highlights: [] });
  });
});
