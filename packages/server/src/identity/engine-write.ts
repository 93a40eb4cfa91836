/**
 * Turns the engine's in-memory changes into one {@link GraphWrite}: stored components that
 * were joined are relabelled into their root, stored profiles that were merged are moved into
 * their survivor, and every changed row is upserted with its final component and profile (an
 * event or edge recorded before a later merge in the same batch names the survivor).
 */
import type { PendingEdge, EventFacts } from './engine-profiles.js'
import {
  finalProfile,
  findRoot,
  type CollectionGraph,
  type ComponentNode,
  type ProfileNode,
} from './engine-state.js'
import type { GraphWrite } from './identity-store.js'
import type {
  Collection,
  IdentifierRecord,
  IdentityEdge,
  Identifier,
  ProfileEventRecord,
} from './model.js'

/** An event resolved to a profile, waiting to be written. */
export interface PendingEvent {
  collection: Collection
  event: EventFacts
  profile: ProfileNode
  component: ComponentNode
  identifiers: Identifier[]
}

export function collectWrite(state: {
  graphs: CollectionGraph[]
  absorbed: ProfileNode[]
  events: PendingEvent[]
  edges: PendingEdge[]
}): GraphWrite {
  const write: GraphWrite = {
    deleteComponents: [],
    relabelComponents: [],
    moveProfiles: [],
    components: [],
    identifiers: [],
    profiles: [],
    events: state.events.map(toEventRecord),
    edges: state.edges.map(toEdge),
  }
  for (const graph of state.graphs) collectGraph(graph, write)
  for (const profile of state.absorbed) {
    if (profile.stored) {
      write.moveProfiles.push({ from: profile.record.id, to: finalProfile(profile).record.id })
    }
  }
  return write
}

function collectGraph(graph: CollectionGraph, write: GraphWrite): void {
  for (const component of graph.components.values()) {
    if (component.parent !== null) {
      if (component.stored) {
        write.relabelComponents.push({ from: component.id, to: findRoot(component).id })
      }
    } else if (component.dirty) {
      write.components.push({
        id: component.id,
        maxKey: component.maxKey,
        events: component.events,
      })
    }
  }
  for (const node of graph.identifiers.values()) {
    if (!node.dirty) continue
    const record: IdentifierRecord = {
      collection: graph.collection,
      type: node.type,
      value: node.value,
      componentId: findRoot(node.component).id,
      profileId: node.profile === null ? null : node.profile.record.id,
      addedAt: node.addedAt,
      firstSeen: node.firstSeen,
      firstMessageId: node.firstMessageId,
      firstSourceId: node.firstSourceId,
    }
    write.identifiers.push(record)
  }
  for (const profile of graph.profiles.values()) {
    if (!profile.dirty) continue
    write.profiles.push({ ...profile.record, componentId: findRoot(profile.component).id })
  }
}

function toEventRecord(pending: PendingEvent): ProfileEventRecord {
  return {
    seq: pending.event.seq,
    collection: pending.collection,
    componentId: findRoot(pending.component).id,
    profileId: finalProfile(pending.profile).record.id,
    orderKey: pending.event.orderKey,
    timestamp: pending.event.timestamp,
    messageId: pending.event.messageId,
    identifiers: pending.identifiers,
  }
}

function toEdge(pending: PendingEdge): IdentityEdge {
  const profile = finalProfile(pending.profile)
  return {
    collection: profile.record.collection,
    componentId: findRoot(pending.component).id,
    profileId: profile.record.id,
    kind: pending.kind,
    from: pending.from,
    to: pending.to,
    rule: pending.rule,
    mergedProfileId: pending.mergedProfileId,
    seq: pending.event.seq,
    messageId: pending.event.messageId,
    sourceId: pending.event.sourceId,
    timestamp: pending.event.timestamp,
  }
}
