import { fillExamples } from "../../../../src/whatsapp/templates/rules.ts";
import { RenderedTemplateView, type RenderedTemplate } from "../conversation/message-content.tsx";
import { contentOf, isRightToLeft, type EditorDraft } from "./template-model.ts";

// The editor's live preview: the draft as the customer would read it, drawn by the thread's own
// template view (message-content.tsx) with each parameter filled by its example. Arabic, Hebrew,
// Persian and Urdu templates (or text in those scripts) read right to left.

const BUTTON_KINDS: Record<string, RenderedTemplate["buttons"][number]["type"]> = {
  QUICK_REPLY: "quick_reply",
  URL: "url",
  PHONE_NUMBER: "phone_number",
  COPY_CODE: "copy_code",
};

/** The draft rendered as the thread shows a sent template. */
export function renderDraft(draft: EditorDraft): RenderedTemplate {
  const content = contentOf(draft);
  const format = draft.parameterFormat;
  const header = content.header;
  return {
    header: !header
      ? null
      : header.format === "TEXT"
        ? { kind: "text", text: fillExamples(header.text ?? "", format, header.examples) }
        : header.format === "LOCATION"
          ? { kind: "location", latitude: 0, longitude: 0, name: null, address: null }
          : {
              kind: "media",
              mediaType: header.format === "IMAGE" ? "image" : header.format === "VIDEO" ? "video" : "document",
              filename: header.handle ? "example uploaded" : null,
              link: null,
            },
    body: content.body ? fillExamples(content.body.text, format, content.body.examples) : null,
    footer: content.footer ? content.footer.text || null : null,
    buttons: content.buttons.map((button) => ({
      type: BUTTON_KINDS[button.type] ?? "other",
      text: button.type === "COPY_CODE" ? "Copy offer code" : button.text,
      url: button.url ? button.url.replace(/\{\{\s*1\s*\}\}$/, button.example ?? "{{1}}") : null,
    })),
  };
}

export function TemplatePreview({ draft }: { draft: EditorDraft }) {
  const rendered = renderDraft(draft);
  const text = [draft.headerText, draft.bodyText, draft.footerText, ...draft.buttons.map((button) => button.text)].join(" ");
  const rtl = isRightToLeft(draft.language, text);
  const empty =
    rendered.header === null && (rendered.body ?? "").trim() === "" && rendered.footer === null && rendered.buttons.length === 0;
  return (
    <section className="template-live-preview" aria-labelledby="template-preview-title">
      <h3 id="template-preview-title">Preview</h3>
      <div className="template-preview-canvas">
        <div
          className="template-preview-bubble"
          dir={rtl ? "rtl" : "ltr"}
          lang={draft.language.replace("_", "-") || undefined}
          aria-label="Template preview"
        >
          {empty ? <p className="muted">Type the body to see the message here.</p> : <RenderedTemplateView rendered={rendered} />}
        </div>
      </div>
    </section>
  );
}
