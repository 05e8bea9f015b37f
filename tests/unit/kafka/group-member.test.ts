import { describe, expect, it } from 'vitest';
import { currentMember, type GroupConsumer } from '../../../src/kafka/driver/group-member.ts';
import { isTierlabError } from '../../../src/errors.ts';

/** A consumer that, like the client's during a broker restart, has forgotten its coordinator for a while. */
function consumerFindingItsCoordinatorAfter(polls: number): GroupConsumer & { polls: number } {
  return {
    polls: 0,
    groupId: 'tierlab-run-streaming',
    memberId: 'member-1',
    generationId: 3,
    get coordinatorId() {
      return ++this.polls > polls ? 1 : null;
    },
  };
}

describe('currentMember', () => {
  it('waits for a consumer that has lost its coordinator to find it again, instead of handing on none', async () => {
    const consumer = consumerFindingItsCoordinatorAfter(3);
    const waits: number[] = [];
    const member = await currentMember(consumer, { wait: async (ms) => waits.push(ms) });
    expect(member).toEqual({ groupId: 'tierlab-run-streaming', memberId: 'member-1', generationId: 3, coordinatorId: 1 });
    expect(waits).toHaveLength(3);
  });

  it('reads the membership as it stands when the coordinator is known, with no wait', async () => {
    const waits: number[] = [];
    const member = await currentMember(consumerFindingItsCoordinatorAfter(0), { wait: async (ms) => waits.push(ms) });
    expect(member.coordinatorId).toBe(1);
    expect(waits).toEqual([]);
  });

  it('gives up with the group named once no coordinator is found within the budget', async () => {
    let clock = 0;
    const error = await currentMember(consumerFindingItsCoordinatorAfter(Infinity), {
      forMs: 1_000,
      now: () => clock,
      wait: async (ms) => (clock += ms * 10),
    }).catch((caught: unknown) => caught);
    expect(isTierlabError(error, 'TIER_FAILED')).toBe(true);
    expect(String((error as Error).message)).toMatch(/group tierlab-run-streaming: no coordinator known for 1 s/);
  });
});
