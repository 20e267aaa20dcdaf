import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { createProgressBar, type OutputStream } from "../../src/cli/progress.ts";
import type { Keyring } from "../../src/crypto/keyring.ts";
import type { Database, Tx } from "../../src/db/database.ts";
import { withoutWorkspace, withWorkspace } from "../../src/db/with-workspace.ts";
import { messageContentField } from "../../src/features/messages/repository.ts";
import { insertNumber } from "../../src/features/numbers/repository.ts";

// Seeds one workspace with a large, realistic inbox: contacts with their own data keys (made by the
// real keyring), names and phone numbers encrypted under them, a blind index per phone, open and
// closed conversations on two numbers, assigned to agents or not, tags, and messages whose content
// is encrypted one by one (the AAD binds each ciphertext to its message id, so none can be reused).
// Rows go in with multi-row INSERT … SELECT FROM unnest(…) in large batches; progress on stderr.
// Used by bench/inbox.bench.ts and by the command line (bench/seed-inbox.ts).

export type SeedInboxOptions = {
  conversations?: number;
  messages?: number;
  /** Messages in the one long thread the benchmark opens. */
  bigThreadMessages?: number;
  numbers?: number;
  agents?: number;
  /** Conversations per transaction. */
  chunk?: number;
  /** Where the progress bar goes (null: silent). */
  progress?: OutputStream | null;
  /** PRNG seed: the same seed gives the same shape (ids and ciphertexts still differ). */
  seed?: number;
};

export type InboxSeed = {
  workspaceId: string;
  numberIds: string[];
  agentIds: string[];
  bigConversationId: string;
  bigConversationMessages: number;
  conversations: number;
  messages: number;
  seconds: number;
};

export const SEED_DEFAULTS = {
  conversations: 50_000,
  messages: 1_000_000,
  bigThreadMessages: 600,
  numbers: 2,
  agents: 8,
  chunk: 500,
  seed: 20_261_121,
};
const DAY_MS = 24 * 60 * 60 * 1000;

const FIRST_NAMES = [
  "Ada",
  "Amira",
  "Ana",
  "Ben",
  "Björn",
  "Carla",
  "Chen",
  "Chloé",
  "Dana",
  "David",
  "Elif",
  "Emma",
  "Fatima",
  "Felix",
  "Giulia",
  "Hana",
  "Hugo",
  "Ines",
  "Ivan",
  "Jamal",
  "Jana",
  "João",
  "Kai",
  "Laila",
  "Lena",
  "Lucas",
  "Maria",
  "Mateo",
  "Mia",
  "Noah",
  "Nora",
  "Olga",
  "Omar",
  "Paula",
  "Priya",
  "Rafael",
  "Sara",
  "Søren",
  "Tariq",
  "Zoë",
];
const LAST_NAMES = [
  "Ahmed",
  "Almeida",
  "Becker",
  "Bianchi",
  "Costa",
  "Dubois",
  "Fischer",
  "García",
  "Hansen",
  "Hoffmann",
  "Ivanova",
  "Jansen",
  "Kaya",
  "Kowalski",
  "Lopez",
  "Meyer",
  "Müller",
  "Nakamura",
  "Novak",
  "Okafor",
  "Olsen",
  "Patel",
  "Petrov",
  "Quinn",
  "Rossi",
  "Santos",
  "Schmidt",
  "Schulz",
  "Silva",
  "Singh",
  "Smith",
  "Svensson",
  "Tanaka",
  "Weber",
  "Wagner",
  "Wong",
  "Yilmaz",
  "Zimmermann",
  "Öztürk",
  "Łukasz",
];
const INBOUND = [
  "Hi, I ordered last week and have not received anything yet.",
  "Can you tell me when my order #{n} ships?",
  "Thanks, that worked!",
  "Is the store open on Sunday?",
  "The package arrived damaged. What can I do?",
  "I would like to change the delivery address please.",
  "Do you have this in size {n}?",
  "ok 👍",
  "Can I pay by bank transfer?",
  "Hello? Anyone there?",
  "Perfect, see you tomorrow at {n}:00.",
  "I need an invoice for order {n} for my company.",
];
const OUTBOUND = [
  "Hello! Thanks for your message, let me check that for you.",
  "Your order #{n} left our warehouse today; the tracking link follows by e-mail.",
  "We are open Monday to Saturday, 9:00–18:00.",
  "I am sorry to hear that. Could you send a photo of the package?",
  "Done: the address is updated.",
  "Yes, size {n} is in stock.",
  "You are welcome! Anything else I can help with?",
  "Bank transfer works; the details are on your invoice.",
];
const TAGS: Array<[tag: string, share: number]> = [
  ["vip", 0.08],
  ["returning", 0.25],
  ["wholesale", 0.05],
];

/** mulberry32: a small, fast, seedable PRNG (the shape of the data, not anything secret). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Messages per conversation: one long thread, the rest between 1 and ~2× the mean, summing exactly to `total`. */
export function messageCounts(conversations: number, total: number, bigIndex: number, big: number, random: () => number): number[] {
  const rest = total - big;
  const others = conversations - 1;
  if (conversations < 1 || big < 1 || rest < others) throw new Error("need at least one message per conversation");
  const counts = new Array<number>(conversations).fill(1);
  counts[bigIndex] = big;
  if (others === 0) return counts;
  const mean = rest / others;
  let sum = 0;
  for (let index = 0; index < conversations; index += 1) {
    if (index === bigIndex) continue;
    counts[index] = 1 + Math.floor(random() * (2 * mean - 1));
    sum += counts[index]!;
  }
  // Nudge random conversations up or down until the total is exact.
  while (sum !== rest) {
    const index = Math.floor(random() * conversations);
    if (index === bigIndex) continue;
    if (sum < rest) {
      counts[index]! += 1;
      sum += 1;
    } else if (counts[index]! > 1) {
      counts[index]! -= 1;
      sum -= 1;
    }
  }
  return counts;
}

type Column = [name: string, type: string, values: unknown[]];

/**
 * A bulk-loading transaction on the owner connection with the tenant set for RLS. As a superuser it
 * also skips foreign-key triggers (the rows are built consistent), as a restore would; commits are
 * not flushed one by one.
 */
async function bulkTransaction(db: Database, workspaceId: string, fn: (trx: Tx) => Promise<void>): Promise<void> {
  await db.owner.transaction().execute(async (trx) => {
    await sql`select set_config('parley.workspace_id', ${workspaceId}, true), set_config('synchronous_commit', 'off', true)`.execute(trx);
    const role = await sql<{ rolsuper: boolean }>`select rolsuper from pg_roles where rolname = current_user`.execute(trx);
    if (role.rows[0]?.rolsuper) await sql`set local session_replication_role = replica`.execute(trx);
    await fn(trx);
  });
}

/** INSERT … SELECT FROM unnest(arrays): one statement and one parameter per column, for any number of rows. */
async function insertRows(trx: Tx, table: string, workspaceId: string, columns: Column[]): Promise<void> {
  if (columns[0]![2].length === 0) return;
  const names = sql.join([sql.ref("workspace_id"), ...columns.map(([name]) => sql.ref(name))]);
  const arrays = sql.join(columns.map(([, type, values]) => sql`${values}::${sql.raw(type)}[]`));
  await sql`insert into ${sql.table(table)} (${names}) select ${workspaceId}::uuid, u.* from unnest(${arrays}) as u`.execute(trx);
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

export async function seedInbox(db: Database, keyring: Keyring, options: SeedInboxOptions = {}): Promise<InboxSeed> {
  const settings = { ...SEED_DEFAULTS, ...options };
  const started = performance.now();
  const random = prng(settings.seed);
  const workspaceId = randomUUID();
  const numberIds = Array.from({ length: settings.numbers }, () => randomUUID());
  const phoneNumberIds = numberIds.map((_, index) => String(106_540_352_242_900 + index));
  const agentIds = Array.from({ length: settings.agents }, () => randomUUID());

  await withoutWorkspace(db, (trx) =>
    trx
      .insertInto("users")
      // Seeded agents cannot sign in: the hash matches no password.
      .values(
        agentIds.map((id, index) => ({ id, email: `agent-${index}-${workspaceId.slice(0, 8)}@bench.invalid`, password_hash: "!seeded" })),
      )
      .execute(),
  );
  await withWorkspace(db, { workspaceId }, async (trx) => {
    await trx.insertInto("workspaces").values({ id: workspaceId, name: "Inbox benchmark", region: "local" }).execute();
    await keyring.createWorkspaceKey(trx, workspaceId);
    for (const [index, id] of numberIds.entries()) {
      await insertNumber(trx, keyring, {
        workspaceId,
        id,
        mode: "live",
        wabaId: "102290129340398",
        phoneNumberId: phoneNumberIds[index]!,
        appId: null,
        displayPhoneNumber: `1555078388${index}`,
        accessToken: randomBytes(24).toString("base64url"),
        accessTokenExpiresAt: null,
        appSecret: randomBytes(24).toString("base64url"),
        verifyToken: randomBytes(24).toString("base64url"),
        tier: 1000,
        webhookKey: randomBytes(32).toString("base64url"),
      });
    }
    if (agentIds.length > 0)
      await trx
        .insertInto("memberships")
        .values(agentIds.map((userId) => ({ workspace_id: workspaceId, user_id: userId, role: "agent" as const })))
        .execute();
  });

  const bigIndex = Math.floor(settings.conversations / 3);
  const counts = messageCounts(settings.conversations, settings.messages, bigIndex, settings.bigThreadMessages, random);
  const bigConversationId = randomUUID();
  const now = Date.now();
  const bar =
    settings.progress === null
      ? null
      : createProgressBar({ label: "Seeding the inbox (messages)", stream: settings.progress ?? process.stderr });
  let messagesDone = 0;
  bar?.update(0, settings.messages);

  // Two stages overlap: while PostgreSQL inserts one chunk, this process encrypts the next.
  let inserting: Promise<void> = Promise.resolve();
  for (let from = 0; from < settings.conversations; from += settings.chunk) {
    const to = Math.min(from + settings.chunk, settings.conversations);
    const rows = await withWorkspace(db, { workspaceId }, async (trx) => {
      const dataKeyIds = await keyring.createDataKeys(trx, workspaceId, "contact", to - from);
      const contacts = {
        id: [] as string[],
        key: [] as string[],
        phone: [] as string[],
        phoneIndex: [] as string[],
        name: [] as string[],
        profile: [] as string[],
        inbound: [] as Date[],
        created: [] as Date[],
      };
      const conversations = {
        id: [] as string[],
        contact: [] as string[],
        number: [] as string[],
        status: [] as string[],
        lastInbound: [] as Array<Date | null>,
        lastMessage: [] as Date[],
        assignee: [] as Array<string | null>,
        assignedAt: [] as Array<Date | null>,
        closedAt: [] as Array<Date | null>,
        created: [] as Date[],
      };
      const messages = {
        id: [] as string[],
        conversation: [] as string[],
        contact: [] as string[],
        number: [] as string[],
        phoneNumberId: [] as string[],
        direction: [] as string[],
        wamid: [] as string[],
        type: [] as string[],
        content: [] as string[],
        mediaId: [] as Array<string | null>,
        mediaMime: [] as Array<string | null>,
        status: [] as string[],
        statusAt: [] as Date[],
        errorCode: [] as Array<number | null>,
        sentBy: [] as Array<string | null>,
        occurred: [] as Date[],
      };
      const tags = { contact: [] as string[], tag: [] as string[] };

      for (let index = from; index < to; index += 1) {
        const contactId = randomUUID();
        const dataKeyId = dataKeyIds[index - from]!;
        const seal = (column: string, value: string) =>
          keyring.encryptForSubject(trx, { workspaceId, dataKeyId, table: "contacts", column, rowId: contactId }, value);
        const phone = `+49170${String(index).padStart(7, "0")}`;
        const name = `${pick(FIRST_NAMES, random)} ${pick(LAST_NAMES, random)}`;
        const conversationId = index === bigIndex ? bigConversationId : randomUUID();
        const numberSlot = Math.floor(random() * numberIds.length);
        const count = counts[index]!;
        // The last message somewhere in the past 90 days (the long thread: within the last day).
        const lastAt = index === bigIndex ? now - Math.floor(random() * DAY_MS) : now - Math.floor(random() * 90 * DAY_MS);
        const gapMs = index === bigIndex ? 20 * 60_000 : 47 * 60_000;
        const firstAt = lastAt - (count - 1) * gapMs;
        let lastInbound: Date | null = null;
        for (let k = 0; k < count; k += 1) {
          const id = randomUUID();
          const at = new Date(firstAt + k * gapMs + Math.floor(random() * 60_000));
          // The customer writes first; replies alternate with a bias to inbound.
          const inbound = k === 0 || random() < 0.55;
          const image = random() < 0.04;
          const text = pick(inbound ? INBOUND : OUTBOUND, random).replace("{n}", String(10 + Math.floor(random() * 90_000)));
          const content = image
            ? { caption: text, id: `${1_000_000 + index}`, mime_type: "image/jpeg" }
            : inbound
              ? { body: text }
              : { body: text, preview_url: false };
          const failed = !inbound && random() < 0.02;
          messages.id.push(id);
          messages.conversation.push(conversationId);
          messages.contact.push(contactId);
          messages.number.push(numberIds[numberSlot]!);
          messages.phoneNumberId.push(phoneNumberIds[numberSlot]!);
          messages.direction.push(inbound ? "in" : "out");
          messages.wamid.push(`wamid.${id.replaceAll("-", "")}`);
          messages.type.push(image ? "image" : "text");
          messages.content.push(
            await keyring.encryptForSubject(trx, { ...messageContentField(workspaceId, id), dataKeyId }, JSON.stringify(content)),
          );
          messages.mediaId.push(image ? String(900_000_000_000 + index * 1_000 + k) : null);
          messages.mediaMime.push(image ? "image/jpeg" : null);
          messages.status.push(inbound ? "received" : failed ? "failed" : random() < 0.7 ? "read" : "delivered");
          messages.statusAt.push(at);
          messages.errorCode.push(failed ? 131_026 : null);
          messages.sentBy.push(inbound || agentIds.length === 0 ? null : pick(agentIds, random));
          messages.occurred.push(at);
          if (inbound) lastInbound = at;
        }
        const lastMessageAt = messages.occurred.at(-1)!;
        const createdAt = new Date(firstAt - 1_000);
        contacts.id.push(contactId);
        contacts.key.push(dataKeyId);
        contacts.phone.push(await seal("phone", phone));
        contacts.phoneIndex.push(await keyring.blindIndex(trx, workspaceId, "contacts.phone", phone));
        contacts.name.push(await seal("name", name));
        contacts.profile.push(await seal("wa_profile_name", name.split(" ")[0]!));
        contacts.inbound.push(lastInbound!);
        contacts.created.push(createdAt);
        const assignee = agentIds.length > 0 && random() < 0.6 ? pick(agentIds, random) : null;
        const closed = index !== bigIndex && random() < 0.15;
        conversations.id.push(conversationId);
        conversations.contact.push(contactId);
        conversations.number.push(numberIds[numberSlot]!);
        conversations.status.push(closed ? "closed" : "open");
        conversations.lastInbound.push(lastInbound);
        conversations.lastMessage.push(lastMessageAt);
        conversations.assignee.push(assignee);
        conversations.assignedAt.push(assignee ? createdAt : null);
        conversations.closedAt.push(closed ? lastMessageAt : null);
        conversations.created.push(createdAt);
        for (const [tag, share] of TAGS) {
          if (random() < share) {
            tags.contact.push(contactId);
            tags.tag.push(tag);
          }
        }
      }

      return { contacts, conversations, messages, tags };
    });
    await inserting;
    inserting = bulkTransaction(db, workspaceId, async (trx) => {
      const { contacts, conversations, messages, tags } = rows;
      await insertRows(trx, "contacts", workspaceId, [
        ["id", "uuid", contacts.id],
        ["data_key_id", "uuid", contacts.key],
        ["phone_ciphertext", "text", contacts.phone],
        ["phone_index", "text", contacts.phoneIndex],
        ["name_ciphertext", "text", contacts.name],
        ["wa_profile_name_ciphertext", "text", contacts.profile],
        ["last_inbound_at", "timestamptz", contacts.inbound],
        ["created_at", "timestamptz", contacts.created],
      ]);
      await insertRows(trx, "conversations", workspaceId, [
        ["id", "uuid", conversations.id],
        ["contact_id", "uuid", conversations.contact],
        ["number_id", "uuid", conversations.number],
        ["status", "text", conversations.status],
        ["last_inbound_at", "timestamptz", conversations.lastInbound],
        ["last_message_at", "timestamptz", conversations.lastMessage],
        ["assigned_user_id", "uuid", conversations.assignee],
        ["assigned_at", "timestamptz", conversations.assignedAt],
        ["closed_at", "timestamptz", conversations.closedAt],
        ["created_at", "timestamptz", conversations.created],
      ]);
      await insertRows(trx, "messages", workspaceId, [
        ["id", "uuid", messages.id],
        ["conversation_id", "uuid", messages.conversation],
        ["contact_id", "uuid", messages.contact],
        ["number_id", "uuid", messages.number],
        ["phone_number_id", "text", messages.phoneNumberId],
        ["direction", "text", messages.direction],
        ["wamid", "text", messages.wamid],
        ["type", "text", messages.type],
        ["content_ciphertext", "text", messages.content],
        ["media_id", "text", messages.mediaId],
        ["media_mime_type", "text", messages.mediaMime],
        ["status", "text", messages.status],
        ["status_at", "timestamptz", messages.statusAt],
        ["error_code", "integer", messages.errorCode],
        ["sent_by_user_id", "uuid", messages.sentBy],
        ["occurred_at", "timestamptz", messages.occurred],
      ]);
      await insertRows(trx, "contact_tags", workspaceId, [
        ["contact_id", "uuid", tags.contact],
        ["tag", "text", tags.tag],
      ]);
    }).then(() => {
      messagesDone += rows.messages.id.length;
      bar?.update(messagesDone, settings.messages);
    });
    // Awaited on the next turn; until then a failure must not count as unhandled.
    inserting.catch(() => undefined);
  }
  await inserting;
  bar?.finish();
  // Fresh statistics and visibility maps, as autovacuum would leave them on a live server.
  for (const table of ["data_keys", "contacts", "contact_tags", "conversations", "messages"]) {
    await sql`vacuum (analyze) ${sql.table(table)}`.execute(db.owner);
  }
  return {
    workspaceId,
    numberIds,
    agentIds,
    bigConversationId,
    bigConversationMessages: settings.bigThreadMessages,
    conversations: settings.conversations,
    messages: settings.messages,
    seconds: (performance.now() - started) / 1000,
  };
}
