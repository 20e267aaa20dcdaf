import { useState } from "react";
import { api, ApiError, describeError, type ApiAnswer, type ApiOptions } from "../../lib/api.ts";
import { queryKeys, useApiQuery } from "../../lib/queries.ts";
import { useAction } from "../../lib/use-action.ts";
import { ErrorText } from "../../ui/ui.tsx";

// A number's WhatsApp business profile as Meta holds it (read from Meta when opened), edited in
// one form. Only the fields changed are sent; Meta's refusals and the API's checks come back in
// words. The picture is set with a Resumable Upload handle, which this form does not make: it
// shows whether a picture is set.

type Profile = ApiAnswer<"GET", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/profile">;
type ProfileBody = NonNullable<ApiOptions<"PUT", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/profile">["body"]>;
type Vertical = NonNullable<ProfileBody["vertical"]>;

const VERTICALS: Record<Vertical, string> = {
  UNDEFINED: "Not set",
  OTHER: "Other",
  AUTO: "Automotive",
  BEAUTY: "Beauty, spa and salon",
  APPAREL: "Clothing and apparel",
  EDU: "Education",
  ENTERTAIN: "Entertainment",
  EVENT_PLAN: "Event planning and service",
  FINANCE: "Finance and banking",
  GROCERY: "Food and grocery",
  GOVT: "Public service",
  HOTEL: "Hotel and lodging",
  HEALTH: "Medical and health",
  NONPROFIT: "Non-profit",
  PROF_SERVICES: "Professional services",
  RETAIL: "Shopping and retail",
  TRAVEL: "Travel and transportation",
  RESTAURANT: "Restaurant",
};

type Fields = { about: string; description: string; address: string; email: string; website1: string; website2: string; vertical: string };

const fieldsOf = (profile: Profile): Fields => ({
  about: profile.about ?? "",
  description: profile.description ?? "",
  address: profile.address ?? "",
  email: profile.email ?? "",
  website1: profile.websites[0] ?? "",
  website2: profile.websites[1] ?? "",
  vertical: profile.vertical ?? "UNDEFINED",
});

/** The API's field problems, said as sentences ("Website: must start with http:// or https://"). */
function describeProfileError(error: unknown): string {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return describeError(error);
  const reasons = (error.details as Array<{ path?: unknown; message?: unknown }>)
    .map((detail) => {
      const path = Array.isArray(detail.path) ? detail.path.filter((part) => part !== "body").join(" ") : "";
      return typeof detail.message === "string" ? `${path ? `${path}: ` : ""}${detail.message}` : null;
    })
    .filter((reason): reason is string => reason !== null);
  return reasons.length > 0 ? `Please check the profile: ${reasons.join("; ")}.` : error.message;
}

export function NumberProfile({ workspaceId, numberId, title }: { workspaceId: string; numberId: string; title: string }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="number-profile" aria-label={`Business profile of ${title}`}>
      <div className="number-health-head">
        <h3>Business profile</h3>
        <button type="button" aria-expanded={open} onClick={() => setOpen((current) => !current)}>
          {open ? "Close the profile" : "Edit business profile"}
        </button>
      </div>
      {open ? <ProfileLoader workspaceId={workspaceId} numberId={numberId} title={title} /> : null}
    </section>
  );
}

function ProfileLoader({ workspaceId, numberId, title }: { workspaceId: string; numberId: string; title: string }) {
  const profile = useApiQuery(queryKeys.numberProfile(workspaceId, numberId), () =>
    api("GET", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/profile", { path: { workspaceId, numberId } }),
  );
  if (profile.error) return <ErrorText message={profile.error} />;
  if (!profile.data)
    return (
      <p className="muted" role="status">
        Reading the profile from Meta…
      </p>
    );
  return (
    <ProfileForm workspaceId={workspaceId} numberId={numberId} title={title} profile={profile.data} onSaved={() => void profile.reload()} />
  );
}

function ProfileForm({
  workspaceId,
  numberId,
  title,
  profile,
  onSaved,
}: {
  workspaceId: string;
  numberId: string;
  title: string;
  profile: Profile;
  onSaved(): void;
}) {
  const [fields, setFields] = useState<Fields>(() => fieldsOf(profile));
  const [saved, setSaved] = useState(false);
  const { busy, error, setError, onSubmit } = useAction(describeProfileError);
  const set = (name: keyof Fields) => (value: string) => {
    setSaved(false);
    setFields((current) => ({ ...current, [name]: value }));
  };

  const save = onSubmit(async () => {
    const before = fieldsOf(profile);
    const body: ProfileBody = {};
    if (fields.about.trim() !== before.about) {
      if (fields.about.trim() === "") {
        setError("The About text cannot be empty: WhatsApp shows it under the business name.");
        return;
      }
      body.about = fields.about.trim();
    }
    if (fields.description !== before.description) body.description = fields.description.trim();
    if (fields.address !== before.address) body.address = fields.address.trim();
    if (fields.email !== before.email) body.email = fields.email.trim();
    const websites = [fields.website1.trim(), fields.website2.trim()].filter((site) => site !== "");
    if (websites.join(" ") !== [before.website1, before.website2].filter((site) => site !== "").join(" ")) body.websites = websites;
    if (fields.vertical !== before.vertical) body.vertical = fields.vertical as Vertical;
    if (Object.keys(body).length === 0) {
      setError("Nothing changed.");
      return;
    }
    const answer = await api("PUT", "/api/v1/workspaces/{workspaceId}/numbers/{numberId}/profile", {
      path: { workspaceId, numberId },
      body,
    });
    setFields(fieldsOf(answer));
    setSaved(true);
    onSaved();
  });

  const text = (label: string, name: keyof Fields, maxLength: number, type: "text" | "email" | "url" = "text") => (
    <label className="field">
      <span>{label}</span>
      <input type={type} value={fields[name]} maxLength={maxLength} onChange={(event) => set(name)(event.target.value)} />
    </label>
  );

  return (
    <form className="stacked-form" onSubmit={save} aria-label={`Business profile of ${title}`} noValidate>
      {text("About (up to 139 characters)", "about", 139)}
      <label className="field">
        <span>Description (up to 512 characters)</span>
        <textarea value={fields.description} maxLength={512} rows={3} onChange={(event) => set("description")(event.target.value)} />
      </label>
      {text("Address", "address", 256)}
      {text("E-mail", "email", 128, "email")}
      {text("Website", "website1", 256, "url")}
      {text("Second website", "website2", 256, "url")}
      <label className="field">
        <span>Industry</span>
        <select value={fields.vertical} onChange={(event) => set("vertical")(event.target.value)}>
          {(Object.keys(VERTICALS) as Vertical[]).map((vertical) => (
            <option key={vertical} value={vertical}>
              {VERTICALS[vertical]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">
        Profile picture: {profile.profilePictureUrl ? "set" : "none"}. Change it in Meta's WhatsApp Manager (or through the API with a
        Resumable Upload handle).
      </p>
      <ErrorText message={error} />
      {saved ? (
        <p role="status" className="ok">
          Saved with Meta.
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? "Saving with Meta…" : "Save profile"}
        </button>
      </div>
    </form>
  );
}
