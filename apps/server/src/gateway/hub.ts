// Fans committed domain events out to this process's WebSocket clients: console sockets by workspace,
// widget sockets by customer. Events carry ids only; the hub loads what each audience may see.
import type { ConsoleServerFrame, WidgetServerFrame } from '@zhike/contracts';
import {
  type DomainEvent,
  type EventBus,
  type EventOf,
  isTicketEvent,
  type Role,
  waitMinutes,
} from '@zhike/core';
import type { Database } from '@zhike/db';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { authorNames, conversationDto, messageDto, widgetMessageDto } from '../http/presenters.ts';

export interface GatewayHub {
  /** `user`: whose socket it is, so notifications aimed at people reach only them. */
  addConsole(workspaceId: string, socket: WebSocket, user?: { userId: string; role: Role }): () => void;
  addVisitor(workspaceId: string, customerId: string, socket: WebSocket): () => void;
  /** Whether this process holds any console socket of the workspace (work for them can be skipped if not). */
  hasConsoles(workspaceId: string): boolean;
  /** Sends a frame computed elsewhere (agent assist's suggestions) to the workspace's console sockets. */
  toConsoles(workspaceId: string, frame: ConsoleServerFrame): void;
  closeAll(): void;
  /** Stops listening to the bus. */
  stop(): void;
}

export function send(socket: WebSocket, frame: ConsoleServerFrame | WidgetServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

function addTo<K>(map: Map<K, Set<WebSocket>>, key: K, socket: WebSocket): () => void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(socket);
  return () => {
    set.delete(socket);
    if (set.size === 0 && map.get(key) === set) map.delete(key);
  };
}

export function createGatewayHub(deps: { db: Database; bus: EventBus; log: Logger }): GatewayHub {
  const consoles = new Map<string, Set<WebSocket>>();
  /** Who each console socket belongs to, for notifications aimed at people. */
  const consoleUsers = new WeakMap<WebSocket, { userId: string; role: Role }>();
  const visitors = new Map<string, Set<WebSocket>>();
  // Sockets opened as a customer who was merged since still belong to the person: the survivor's key
  // lists the absorbed keys whose sockets also get the survivor's messages.
  const mergedInto = new Map<string, string[]>();
  const visitorSockets = (workspaceId: string, customerId: string): WebSocket[] => {
    const key = `${workspaceId}:${customerId}`;
    return [key, ...(mergedInto.get(key) ?? [])].flatMap((k) => [...(visitors.get(k) ?? [])]);
  };

  // A bot answer being written goes to the visitor alone, straight from the event: it is not stored, so
  // there is nothing to load, and agents see the answer once it is.
  function deliverDraft(event: EventOf<'message.draft_updated'>): void {
    for (const socket of visitorSockets(event.workspaceId, event.customerId)) {
      send(socket, {
        type: 'draft',
        conversationId: event.conversationId,
        draftId: event.draftId,
        seq: event.seq,
        text: event.text,
      });
    }
  }

  /**
   * Agents see a reply's delivery move (sent, delivered, failed) and a customer message's translation
   * arrive without reloading.
   */
  async function deliverDelivery(
    event: EventOf<'message.delivery_updated'> | EventOf<'message.translated'>,
    consoleSockets: Set<WebSocket> | undefined,
  ): Promise<void> {
    if (!consoleSockets?.size) return;
    const store = deps.db.forWorkspace(event.workspaceId);
    const message = await store.messages.get(event.messageId);
    if (!message) return;
    const names = message.authorUserId ? await authorNames(store) : new Map<string, string>();
    const deliveries = await store.channels.deliveries.forMessages([message.id]);
    for (const socket of consoleSockets)
      send(socket, {
        type: 'message.updated',
        conversationId: message.conversationId,
        message: messageDto(message, names, deliveries),
      });
  }

  const toConsoles = (workspaceId: string, frame: ConsoleServerFrame) => {
    for (const socket of consoles.get(workspaceId) ?? []) send(socket, frame);
  };
  const toVisitor = (workspaceId: string, customerId: string, frame: WidgetServerFrame) => {
    for (const socket of visitorSockets(workspaceId, customerId)) send(socket, frame);
  };

  /** Queue events that need no loading: offers and alerts to consoles, places in line to the visitor. */
  function deliverQueueEvent(event: DomainEvent): boolean {
    switch (event.name) {
      case 'agent.status_changed':
        toConsoles(event.workspaceId, { type: 'agent.status', userId: event.userId, status: event.status });
        return true;
      case 'conversation.offer_withdrawn':
        toConsoles(event.workspaceId, {
          type: 'offer.withdrawn',
          offerId: event.offerId,
          conversationId: event.conversationId,
          userId: event.userId,
          reason: event.reason,
        });
        return true;
      case 'queue.pickup_missed':
        // The alert is for supervisors (and above); a console whose user is unknown gets it too.
        for (const socket of consoles.get(event.workspaceId) ?? [])
          if (consoleUsers.get(socket)?.role !== 'agent')
            send(socket, {
              type: 'queue.pickup_missed',
              conversationId: event.conversationId,
              userId: event.userId,
              queueId: event.queueId,
            });
        return true;
      case 'queue.position_changed':
        toVisitor(event.workspaceId, event.customerId, {
          type: 'queue',
          conversationId: event.conversationId,
          position: event.position,
          waitMinutes: event.waitSeconds === null ? null : waitMinutes(event.waitSeconds),
        });
        return true;
      case 'conversation.offered':
        toConsoles(event.workspaceId, {
          type: 'offer',
          offer: {
            id: event.offerId,
            conversationId: event.conversationId,
            userId: event.userId,
            queueId: event.queueId,
            expiresAt: event.expiresAt,
          },
        });
        return false; // the conversation's row changes too
      default:
        return false;
    }
  }

  async function deliver(event: DomainEvent): Promise<void> {
    if (event.name === 'session.revoked') return; // the console gateway closes those sockets
    if (event.name === 'customer.merge_suggested') return;
    // Agent assist's own bookkeeping: nothing a console or visitor shows changes.
    if (event.name === 'suggestion.feedback_recorded') return;
    if (event.name === 'customer.merged') {
      const survivor = `${event.workspaceId}:${event.survivorId}`;
      const absorbed = `${event.workspaceId}:${event.absorbedId}`;
      mergedInto.set(survivor, [
        ...(mergedInto.get(survivor) ?? []),
        absorbed,
        ...(mergedInto.get(absorbed) ?? []),
      ]);
      mergedInto.delete(absorbed);
      return;
    }
    if (deliverQueueEvent(event)) return;
    if (event.name === 'ticket.sla_warning' || event.name === 'ticket.sla_breached')
      return deliverSlaAlert(event);
    if (event.name === 'ticket.commented') return deliverMentions(event);
    const consoleSockets = consoles.get(event.workspaceId);
    if (event.name === 'message.draft_updated') return deliverDraft(event);
    if (event.name === 'message.delivery_updated' || event.name === 'message.translated')
      return deliverDelivery(event, consoleSockets);
    if (event.name === 'conversation.routing_notified') return deliverNotice(event, consoleSockets);
    // Ticket pages fetch what they show; a ticket's conversation link is not a conversation change.
    if (!('conversationId' in event) || isTicketEvent(event)) return;
    // Messages, and changes that end a wait (the visitor's queue bar goes away), reach the visitor.
    const visitorTargets =
      event.name === 'message.created' ||
      event.name === 'conversation.overflowed' ||
      event.name === 'conversation.assigned' ||
      event.name === 'conversation.resolved'
        ? visitorSockets(
            event.workspaceId,
            'customerId' in event ? event.customerId : await customerOf(event),
          )
        : [];
    if (!consoleSockets?.size && visitorTargets.length === 0) return;
    const store = deps.db.forWorkspace(event.workspaceId);
    const summary = await store.conversations.summary(event.conversationId);
    if (!summary) return; // not this database's workspace (another deployment sharing Redis)
    if (event.name === 'message.created') {
      const message = await store.messages.get(event.messageId);
      if (!message) return;
      const names = message.authorUserId ? await authorNames(store) : new Map<string, string>();
      for (const socket of consoleSockets ?? []) {
        send(socket, {
          type: 'message.created',
          conversationId: message.conversationId,
          message: messageDto(message, names),
        });
      }
      // The visitor's own messages reach it as acks; push what others said (not notes for agents).
      if (message.author !== 'customer' && !message.metadata?.internal) {
        for (const socket of visitorTargets) {
          send(socket, {
            type: 'message',
            conversationId: message.conversationId,
            message: widgetMessageDto(message, names),
          });
        }
      }
    }
    // Picked up, overflowed or resolved: the visitor's queue bar goes away.
    if (event.name !== 'message.created' && !summary.waitingSince) {
      for (const socket of visitorTargets)
        send(socket, { type: 'queue', conversationId: summary.id, position: null, waitMinutes: null });
    }
    for (const socket of consoleSockets ?? [])
      send(socket, { type: 'conversation.updated', conversation: conversationDto(summary) });
  }

  // Only the users a routing rule named, and the supervisors (and above) when it asked for them.
  async function deliverNotice(
    event: EventOf<'conversation.routing_notified'>,
    sockets: Set<WebSocket> | undefined,
  ): Promise<void> {
    const store = deps.db.forWorkspace(event.workspaceId);
    const [summary, conversation] = await Promise.all([
      store.conversations.summary(event.conversationId),
      store.conversations.get(event.conversationId),
    ]);
    if (!summary) return;
    for (const socket of sockets ?? []) {
      const who = consoleUsers.get(socket);
      if (!who) continue;
      const named = event.userIds.includes(who.userId);
      const supervisor = event.supervisors && who.role !== 'agent';
      if (named || supervisor)
        send(socket, {
          type: 'routing.notified',
          conversation: conversationDto(summary),
          ruleName: conversation?.routing?.ruleName ?? null,
        });
    }
  }

  /** Warnings reach the ticket's assignee; breaches also reach supervisors when the policy says so. */
  function deliverSlaAlert(event: EventOf<'ticket.sla_warning'> | EventOf<'ticket.sla_breached'>): void {
    const breached = event.name === 'ticket.sla_breached';
    for (const socket of consoles.get(event.workspaceId) ?? []) {
      const who = consoleUsers.get(socket);
      if (!who) continue;
      const supervisor = breached && event.notifySupervisors && who.role !== 'agent';
      if (who.userId === event.assigneeId || supervisor)
        send(socket, {
          type: 'ticket.sla',
          alert: breached ? 'breached' : 'warning',
          ticketId: event.ticketId,
          metric: event.metric,
          dueAt: event.dueAt,
        });
    }
  }

  /** A note's @mentions reach the mentioned users' consoles (each of their open tabs), nobody else's. */
  async function deliverMentions(event: EventOf<'ticket.commented'>): Promise<void> {
    if (event.mentions.length === 0) return;
    const sockets = [...(consoles.get(event.workspaceId) ?? [])].filter((socket) =>
      event.mentions.includes(consoleUsers.get(socket)?.userId ?? ''),
    );
    if (sockets.length === 0) return;
    const ticket = await deps.db.forWorkspace(event.workspaceId).tickets.get(event.ticketId);
    if (!ticket) return;
    for (const socket of sockets)
      send(socket, {
        type: 'ticket.mentioned',
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        entryId: event.entryId,
        authorId: event.authorType === 'user' ? event.authorId : null,
      });
  }

  async function customerOf(event: { workspaceId: string; conversationId: string }): Promise<string> {
    if (!visitors.size) return '';
    const conversation = await deps.db
      .forWorkspace(event.workspaceId)
      .conversations.get(event.conversationId);
    return conversation?.customerId ?? '';
  }

  const unsubscribe = deps.bus.subscribe((event) =>
    deliver(event).catch((err) => deps.log.error({ err, event: event.name }, 'realtime delivery failed')),
  );

  return {
    addConsole: (workspaceId, socket, user) => {
      if (user) consoleUsers.set(socket, user);
      return addTo(consoles, workspaceId, socket);
    },
    addVisitor: (workspaceId, customerId, socket) => addTo(visitors, `${workspaceId}:${customerId}`, socket),
    hasConsoles: (workspaceId) => (consoles.get(workspaceId)?.size ?? 0) > 0,
    toConsoles,
    closeAll() {
      for (const set of [...consoles.values(), ...visitors.values()]) {
        for (const socket of set) socket.close(1001, 'server shutting down');
      }
      consoles.clear();
      visitors.clear();
    },
    stop: () => unsubscribe(),
  };
}
