import { setTimeout as sleep } from 'node:timers/promises';
import { TierlabError } from '../../errors.ts';
import { outageRetry } from '../../retry.ts';

/** What a transaction hands the broker with its offsets, so a zombie member's commit is fenced (KIP-447). */
export interface GroupMember {
  groupId: string;
  memberId: string;
  generationId: number;
  coordinatorId: number;
}

/** The fields of a group consumer this reads; the coordinator is null while the consumer looks for it again. */
export interface GroupConsumer {
  readonly groupId: string;
  readonly memberId: string | null;
  readonly generationId: number;
  readonly coordinatorId: number | null;
}

export interface CurrentMemberOptions {
  forMs?: number;
  pauseMs?: number;
  wait?: (ms: number) => Promise<unknown>;
  now?: () => number;
}

/**
 * The consumer's group membership as it stands, once its coordinator is known. During a broker
 * restart the consumer forgets its coordinator (null) until its heartbeat finds it again; the
 * client sends a transaction's offsets to the coordinator given here and keeps retrying that one
 * node, so an offset added with none is retried against nothing for the whole retry budget (seen:
 * 186 attempts over 90 s, "the broker is not available in the current cluster metadata"). Waiting
 * here for the consumer to find it again takes the seconds the broker takes to come back.
 */
export async function currentMember(consumer: GroupConsumer, options: CurrentMemberOptions = {}): Promise<GroupMember> {
  const forMs = options.forMs ?? outageRetry.forMs;
  const pauseMs = options.pauseMs ?? 20;
  const wait = options.wait ?? ((ms: number) => sleep(ms));
  const now = options.now ?? Date.now;
  const since = now();
  for (;;) {
    const { coordinatorId, memberId } = consumer;
    if (coordinatorId !== null && coordinatorId >= 0 && memberId) {
      return { groupId: consumer.groupId, memberId, generationId: consumer.generationId, coordinatorId };
    }
    if (now() - since >= forMs) {
      throw new TierlabError(
        'TIER_FAILED',
        `group ${consumer.groupId}: no coordinator known for ${Math.round(forMs / 1000)} s (coordinator ${coordinatorId}, member ${memberId || 'none'}); its offsets cannot join a transaction`,
      );
    }
    await wait(pauseMs);
  }
}
