/**
 * The rooms of namespace `/console` and which rooms an event goes to, in one place. A console
 * of organisation X joins `all` and `org:X`, plus `all:x` and `org:X:x` when it opted in to
 * Test and Exercise messages. With the Redis adapter, rooms span every hub node.
 */
import type { HubEvent } from '../store/ports.ts';

/** The rooms a console joins. */
export function roomsOf(orgId: string, exercises: boolean): string[] {
  const rooms = ['all', `org:${orgId}`];
  if (exercises) rooms.push('all:x', `org:${orgId}:x`);
  return rooms;
}

/** The rooms an event goes to; empty when no console receives it. */
export function eventRooms(event: Pick<HubEvent, 'audience' | 'channel'>): string[] {
  if (event.channel === 'none') return [];
  const suffix = event.channel === 'exercise' ? ':x' : '';
  if (event.audience === 'all') return [`all${suffix}`];
  return event.audience.map((orgId) => `org:${orgId}${suffix}`);
}
