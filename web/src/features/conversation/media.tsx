import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { api, apiUpload, describeError, type Conversation, type Message } from "../../lib/api.ts";
import { formatSize, MEDIA_KINDS, mediaKindOf, type Upload } from "./conversation-types.ts";
import { ErrorText } from "../../ui/ui.tsx";
import { useAction } from "../../lib/use-action.ts";
import { AttachIcon, DocumentIcon } from "../../ui/icons.tsx";

// Media in the conversation view. In the thread: images inline, video and audio players, documents
// as a download link with their name and size — fetched lazily (when the message scrolls into
// view) from a short-lived signed URL (GET …/messages/:id/media-url → /media/<token>, same origin,
// so the strict CSP's img-src/media-src 'self' allow it); a placeholder says in words when the
// media is still arriving, was refused (and why) or failed. In the composer: attach a file, which
// is uploaded (encrypted at rest) and sent as an image, video, audio, document or sticker.

const KIND_WORDS: Record<string, string> = {
  image: "image",
  video: "video",
  audio: "audio message",
  document: "document",
  sticker: "sticker",
};

function useInView<T extends Element>(): [(element: T | null) => void, boolean] {
  const [element, setElement] = useState<T | null>(null);
  const [seen, setSeen] = useState(false);
  // Without IntersectionObserver everything counts as seen.
  const observable = typeof IntersectionObserver !== "undefined";
  useEffect(() => {
    if (seen || !element || !observable) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        setSeen(true);
        observer.disconnect();
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, seen, observable]);
  return [setElement, seen || !observable];
}

/** What a message shows: its media (if any) and its text or caption, as text nodes. */
export function MessageContent({ workspaceId, message }: { workspaceId: string; message: Message }) {
  if (!message.media) return <p className="text">{message.text ?? `[${message.type}]`}</p>;
  const isDocument = message.type === "document";
  // A document's "text" is its file name when it has no caption: the link already shows it.
  const caption = message.text !== null && !(isDocument && message.text === message.media.filename) ? message.text : null;
  return (
    <>
      <MediaPreview workspaceId={workspaceId} message={message} />
      {caption !== null ? <p className="text">{caption}</p> : null}
    </>
  );
}

/** A short-lived link to a stored media file (it lives 5 minutes). */
function mediaUrl(workspaceId: string, messageId: string) {
  return api("GET", "/api/v1/workspaces/{workspaceId}/messages/{messageId}/media-url", { path: { workspaceId, messageId } });
}

function MediaPreview({ workspaceId, message }: { workspaceId: string; message: Message }) {
  const media = message.media!;
  const kind = KIND_WORDS[message.type] ?? "file";
  const [ref, inView] = useInView<HTMLDivElement>();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retried, setRetried] = useState(false);
  const messageId = message.id;
  const isDocument = message.type === "document";

  useEffect(() => {
    // Documents fetch their link on click (it lives 5 minutes); the rest once they are in view.
    if (!media.available || isDocument || !inView || url) return;
    let cancelled = false;
    mediaUrl(workspaceId, messageId)
      .then((answer) => !cancelled && setUrl(answer.url))
      .catch((caught: unknown) => !cancelled && setError(describeError(caught)));
    return () => {
      cancelled = true;
    };
  }, [media.available, isDocument, inView, url, workspaceId, messageId]);

  const onMediaError = () => {
    // A link that expired while the page stayed open: ask once for a fresh one.
    if (retried) {
      setError(`The ${kind} could not be shown.`);
      return;
    }
    setRetried(true);
    setUrl(null);
  };

  if (!media.available) {
    const status = media.status ?? null;
    let words: string;
    if (status === "pending") words = `Receiving the ${kind}…`;
    else if (status === "refused") words = `This ${kind} was refused${media.error ? `: ${media.error}` : "."}`;
    else if (status === "failed") words = `This ${kind} could not be received${media.error ? `: ${media.error}` : "."}`;
    else words = `A ${kind}${media.mimeType ? ` (${media.mimeType})` : ""} that Parley does not keep a copy of.`;
    return (
      <p className={`media-placeholder media-${status ?? "external"}`} role={status === "pending" ? "status" : undefined}>
        {words}
      </p>
    );
  }

  if (isDocument) {
    const download = async () => {
      setError(null);
      try {
        const answer = await mediaUrl(workspaceId, messageId);
        // Served as an attachment (Content-Disposition) with its own strict CSP: the page stays.
        window.location.assign(answer.url);
      } catch (caught) {
        setError(describeError(caught));
      }
    };
    return (
      <div className="media-document">
        <button type="button" className="link-button" onClick={() => void download()}>
          <DocumentIcon className="inline-icon" /> {media.filename ?? "Document"}
        </button>
        <span className="muted"> {[media.mimeType, media.sizeBytes ? formatSize(media.sizeBytes) : null].filter(Boolean).join(" · ")}</span>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <div ref={ref} className={`media media-${message.type}`}>
      {error ? (
        <p className="media-placeholder media-failed" role="alert">
          {error}
        </p>
      ) : !url ? (
        <p className="media-placeholder" role="status">
          Loading the {kind}…
        </p>
      ) : message.type === "image" || message.type === "sticker" ? (
        <img
          src={url}
          alt={
            message.direction === "in"
              ? `${kind === "sticker" ? "Sticker" : "Image"} from the customer`
              : `${kind === "sticker" ? "Sticker" : "Image"} sent`
          }
          onError={onMediaError}
        />
      ) : message.type === "video" ? (
        <video
          src={url}
          controls
          preload="metadata"
          aria-label={message.direction === "in" ? "Video from the customer" : "Video sent"}
          onError={onMediaError}
        />
      ) : (
        <audio
          src={url}
          controls
          preload="metadata"
          aria-label={message.direction === "in" ? "Audio from the customer" : "Audio sent"}
          onError={onMediaError}
        />
      )}
    </div>
  );
}

const ACCEPT = Object.values(MEDIA_KINDS)
  .flatMap((kind) => kind.mimeTypes)
  .join(",");

/** Attach a file: pick it, add a caption (not for audio and stickers), then it is uploaded and sent. */
export function AttachButton({ workspaceId, conversation, onSent }: { workspaceId: string; conversation: Conversation; onSent(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [caption, setCaption] = useState("");
  const { busy, error, setError, run } = useAction(describeError);
  // The step a send is at, for the button's label.
  const [stage, setStage] = useState<"uploading" | "sending">("uploading");
  const kind = file ? mediaKindOf(file.type) : undefined;

  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    event.target.value = "";
    setError(null);
    if (!chosen) return;
    const chosenKind = mediaKindOf(chosen.type);
    if (!chosenKind) {
      setError(
        "WhatsApp does not accept this kind of file. Send a JPEG or PNG image, an MP4 video, an audio file, or a PDF, Word, Excel, PowerPoint or text document.",
      );
      return;
    }
    if (chosen.size > MEDIA_KINDS[chosenKind].maxBytes) {
      setError(
        `This file is too large: WhatsApp takes ${MEDIA_KINDS[chosenKind].label}s up to ${formatSize(MEDIA_KINDS[chosenKind].maxBytes)}.`,
      );
      return;
    }
    setFile(chosen);
    setCaption("");
  };

  const send = () => {
    if (!file || !kind) return;
    void run(async () => {
      setStage("uploading");
      const upload = await apiUpload<Upload>(`/api/v1/workspaces/${workspaceId}/media?conversationId=${conversation.id}`, file, file.type);
      setStage("sending");
      const media: Record<string, string> = { upload: upload.id };
      if (caption.trim() && kind !== "audio" && kind !== "sticker") media.caption = caption.trim();
      if (kind === "document") media.filename = file.name.replace(/[/\\]/g, "_").slice(0, 240);
      await api("POST", "/api/v1/workspaces/{workspaceId}/messages", {
        path: { workspaceId },
        body: { conversationId: conversation.id, type: upload.type, [upload.type]: media },
        headers: { "idempotency-key": crypto.randomUUID() },
      });
      setFile(null);
      setCaption("");
      onSent();
    });
  };

  return (
    <div className="attach">
      <input ref={input} type="file" accept={ACCEPT} className="visually-hidden" tabIndex={-1} aria-hidden="true" onChange={pick} />
      {file && kind ? (
        <div className="attachment" role="group" aria-label="File to send">
          <span className="attachment-name">
            {file.name} <span className="muted">({formatSize(file.size)})</span>
          </span>
          {kind !== "audio" && kind !== "sticker" ? (
            <label>
              <span className="visually-hidden">Caption</span>
              <input
                type="text"
                value={caption}
                maxLength={1024}
                placeholder="Add a caption (optional)"
                onChange={(event) => setCaption(event.target.value)}
                onKeyDown={(event) => {
                  // Enter sends the file, not the reply form this sits in.
                  if (event.key === "Enter") {
                    event.preventDefault();
                    send();
                  }
                }}
              />
            </label>
          ) : null}
          <button type="button" onClick={send} disabled={busy}>
            {!busy ? `Send ${MEDIA_KINDS[kind].label}` : stage === "uploading" ? "Uploading…" : "Sending…"}
          </button>
          <button type="button" onClick={() => setFile(null)} disabled={busy}>
            Remove
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => input.current?.click()} aria-label="Attach a file">
          <AttachIcon className="inline-icon" /> Attach
        </button>
      )}
      <ErrorText message={error} />
    </div>
  );
}
