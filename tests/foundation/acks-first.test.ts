// Work after an ack waits until no request is waiting for its ack, and runs a few at a time.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acksFirst } from '../../src/slack/acks-first.ts';

const flush = () => new Promise((r) => setImmediate(r));

describe('acks first', () => {
  afterEach(() => vi.useRealTimers());

  it('starts work after an ack only once every request that arrived is answered', async () => {
    const acks = acksFirst(4, 60_000);
    const first = acks.arrived();
    const second = acks.arrived();
    first();
    let started = false;
    const turn = acks.turn().then((end) => {
      started = true;
      return end;
    });
    await flush();
    expect(started).toBe(false);
    second();
    second(); // answering twice counts once
    (await turn)();
    expect(started).toBe(true);
  });

  it('starts work only once no request has arrived for a moment, so a burst is acked whole first', async () => {
    vi.useFakeTimers();
    const acks = acksFirst(4, 60_000, 500, 10);
    acks.arrived()();
    let started = false;
    void acks.turn().then(() => {
      started = true;
    });
    await vi.advanceTimersByTimeAsync(5);
    acks.arrived()(); // another request of the burst, answered at once: the quiet time starts again
    await vi.advanceTimersByTimeAsync(9);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(true);
  });

  it('lets at most the given number work at once, the next starting as one ends', async () => {
    const acks = acksFirst(2, 60_000);
    const started: number[] = [];
    const ends: (() => void)[] = [];
    for (const n of [1, 2, 3, 4])
      void acks.turn().then((end) => {
        started.push(n);
        ends.push(end);
      });
    await flush();
    expect(started).toEqual([1, 2]);
    ends[0]!();
    ends[0]!(); // ending twice frees one place only
    await flush();
    expect(started).toEqual([1, 2, 3]);
    ends[1]!();
    await flush();
    expect(started).toEqual([1, 2, 3, 4]);
  });

  it('never holds work back longer than its longest wait, however many requests keep arriving', async () => {
    vi.useFakeTimers();
    const acks = acksFirst(1, 2_000);
    acks.arrived(); // never answered
    let started = false;
    void acks.turn().then(() => {
      started = true;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(started).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toBe(true);
  });

  it('still lets only the given number work at once when acks have kept work waiting too long', async () => {
    vi.useFakeTimers();
    const acks = acksFirst(2, 2_000);
    acks.arrived(); // never answered: a steady stream of requests
    const started: number[] = [];
    const ends: (() => void)[] = [];
    for (const n of [1, 2, 3, 4, 5])
      void acks.turn().then((end) => {
        started.push(n);
        ends.push(end);
      });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(started).toEqual([1, 2]);
    ends[0]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([1, 2, 3]);
    ends[1]!();
    ends[2]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('a backlog too long', () => {
  it('counts work waiting and under way, and clears as work ends', async () => {
    const acks = acksFirst(1, 60_000, 3);
    const ends: (() => void)[] = [];
    for (let i = 0; i < 3; i++) void acks.turn().then((end) => ends.push(end));
    await flush();
    expect(acks.overloaded()).toBe(true);
    ends[0]!();
    await flush();
    expect(acks.overloaded()).toBe(false);
  });
});
