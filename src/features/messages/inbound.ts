import { mirrorStatusesOfWamids } from "../broadcasts/repository.ts";
import { applyNumberHealth } from "../numbers/health.ts";
import { recordAudit } from "../../audit/record.ts";
import { withWorkspace } from "../../db/with-workspace.ts";
import type { Services } from "../../services.ts";
import { mediaOf, messageContent } from "../../whatsapp/inbound/payload.ts";
import type { InboundDelivery, InboundPort } from "../../whatsapp/inbound/port.ts";
import { upsertOpenConversation } from "../conversations/repository.ts";
import { applyReactionEvent, applyStatuses, insertInboundMessage } from "./repository.ts";
import { changeWhatsAppIdentity, upsertWhatsAppContact, type ContactRef } from "../contacts/whatsapp-repository.ts";
import { recordNumberEvents } from "../numbers/events.ts";
import { listNumberMetaIds, loadNumberCredentials } from "../numbers/repository.ts";
import { applyTemplateReports, applyTemplateUpdates } from "../templates/repository.ts";
import { recordMetaValues } from "../webhooks/meta.ts";
import { enqueueMediaFetch } from "./media/fetch.ts";
import { findContactByPhone } from "../contacts/repository.ts";
import { applyInboundKeyword, applyMetaMarketingPreference, loadConsentKeywords } from "../consent/service.ts";
import type { ConsentKeywords } from "../consent/keywords.ts";
import type { InboundMessage } from "../../whatsapp/inbound/payload.ts";
import type { Tx } from "../../db/database.ts";

// The product's side of inbound: what a parsed webhook event changes in contacts, conversations,
// messages, templates and number reports. The channel (src/whatsapp/inbound/process.ts) calls it
// inside the delivery's transaction; every effect is keyed by a unique constraint, so a delivery
// applied twice yields its rows once.

export const inboundPort: InboundPort = {
  async webhookSecrets(services, endpoint) {
    const credentials = await withWorkspace(services.db, { workspaceId: endpoint.workspaceId }, (trx) =>
      loadNumberCredentials(trx, services.keyring, endpoint.workspaceId, endpoint.numberId),
    );
    return credentials ? { appSecret: credentials.appSecret, verifyToken: credentials.verifyToken } : undefined;
  },
  openDelivery: openInboundDelivery,
};

function openInboundDelivery(services: Services, trx: Tx, workspaceId: string): InboundDelivery {
  // A delivery often carries several messages of one sender: their contact is looked up once.
  const contactCache = new Map<string, ContactRef>();
  // The workspace's opt-out and opt-in keywords, read once per delivery when a text arrives.
  let keywords: ConsentKeywords | undefined;
  return {
    numbers: () => listNumberMetaIds(trx, workspaceId),

    async contactChange(change, wamid) {
      const result = await changeWhatsAppIdentity(trx, services.keyring, workspaceId, change);
      if (result.outcome === "not_found") return;
      // Audited with identifiers only: never the old or the new phone number.
      await recordAudit(trx, {
        workspaceId,
        actor: { type: "system", id: null },
        action: change.kind === "number" ? "contact.number_changed" : "contact.user_id_changed",
        ...(result.contact ? { target: { type: "contact", id: result.contact.id } } : {}),
        metadata: { outcome: result.outcome, wamid: wamid.slice(0, 256) },
      });
    },

    async message({ numberId, phoneNumberId, message, sender }) {
      const cacheKey = `${sender.waId ?? ""}|${sender.userId ?? ""}`;
      let contact = contactCache.get(cacheKey);
      if (!contact) {
        contact = await upsertWhatsAppContact(trx, services.keyring, {
          workspaceId,
          waId: sender.waId,
          userId: sender.userId,
          profileName: sender.profileName,
          at: message.timestamp,
        });
        contactCache.set(cacheKey, contact);
        if (contact.restored) {
          await recordAudit(trx, {
            workspaceId,
            actor: { type: "system", id: null },
            action: "contact.restored",
            target: { type: "contact", id: contact.id },
            metadata: { reason: "inbound_message" },
          });
        }
      }
      const conversationId = await upsertOpenConversation(trx, {
        workspaceId,
        contactId: contact.id,
        numberId,
        inboundAt: message.timestamp,
      });
      if (message.type === "reaction" && message.reaction) {
        // One reaction per user and message: a newer one replaces it, an empty one removes it, and an
        // event older than the latest applied (a redelivery, a reordering) changes nothing.
        const removal = !message.reaction.emoji;
        const applied = await applyReactionEvent(trx, {
          workspaceId,
          contactId: contact.id,
          phoneNumberId,
          targetWamid: message.reaction.message_id,
          wamid: message.id,
          at: message.timestamp,
          removed: removal,
        });
        if (!applied) return "stale";
        if (removal) return "removed";
      }
      const media = mediaOf(message);
      const id = await insertInboundMessage(trx, services.keyring, {
        workspaceId,
        conversationId,
        contact,
        numberId,
        phoneNumberId,
        wamid: message.id,
        type: message.type,
        content: messageContent(message),
        occurredAt: message.timestamp,
        contextWamid: message.context?.id ?? null,
        reactionToWamid: message.reaction?.message_id ?? null,
        media: media ? { id: media.id, mimeType: media.mime_type ?? null, sha256: media.sha256 ?? null } : null,
      });
      if (!id) return "duplicate";
      // A message that is only an opt-out (or opt-in) keyword changes the contact's marketing consent.
      const text = keywordTextOf(message);
      if (text !== undefined) {
        keywords ??= await loadConsentKeywords(trx, workspaceId);
        await applyInboundKeyword(trx, workspaceId, { contactId: contact.id, text, wamid: message.id }, keywords);
      }
      // The fetch job commits with the message (outbox): no message without its fetch, and no fetch for
      // a rolled-back message. Without a blob store (tools, some tests) media stays metadata only.
      if (media && services.blobs) await enqueueMediaFetch(trx, workspaceId, id);
      return "inserted";
    },

    async marketingPreferences(events) {
      let applied = 0;
      for (const event of events) {
        // Only a contact Parley knows: one it has never met has no consent to withdraw, and a
        // marketing send to a new contact is refused anyway (no consent yet).
        const contact = await findContactByPhone(trx, services.keyring, workspaceId, `+${event.waId}`);
        if (!contact) continue;
        await applyMetaMarketingPreference(trx, workspaceId, {
          contactId: contact.id,
          value: event.value,
          report: event.dedupe,
        });
        applied += 1;
      }
      return applied;
    },

    async statuses(events) {
      await applyStatuses(trx, workspaceId, events);
      // Broadcast recipients mirror their messages' statuses (src/features/broadcasts).
      await mirrorStatusesOfWamids(
        trx,
        workspaceId,
        events.map((event) => event.wamid),
        new Date(),
      );
    },

    async templates(reports, updates) {
      await applyTemplateReports(trx, services.keyring, workspaceId, reports);
      await applyTemplateUpdates(trx, workspaceId, updates);
    },

    numberEvents: (events) => recordNumberEvents(trx, services.keyring, workspaceId, events),

    numberHealth: (changes) => applyNumberHealth(trx, workspaceId, changes),

    async received(changes) {
      await recordMetaValues(trx, services.keyring, workspaceId, changes);
    },
  };
}

/** The text a keyword is looked for in: a text message's body, or a tapped quick-reply button's text. */
function keywordTextOf(message: InboundMessage): string | undefined {
  if (message.type === "text") return message.text?.body;
  if (message.type === "button") {
    const button = (message as Record<string, unknown>).button;
    if (button && typeof button === "object" && typeof (button as { text?: unknown }).text === "string")
      return (button as { text: string }).text;
  }
  return undefined;
}
