import type { ComponentType } from 'preact';
import { useTitle } from '../use-title.js';
import { signIn, signOut, useSession } from './admin-api.js';
import { AlertsSection } from './alerts-section.js';
import { ChecksSection } from './checks-section.js';
import { IncidentsSection } from './incidents-section.js';
import { MaintenanceSection } from './maintenance-section.js';
import { ServicesSection } from './services-section.js';
import { SpamSection } from './spam-section.js';
import { SubscribersSection } from './subscribers-section.js';
import { ActionOutcome, useAction } from './use-action.js';

const SECTIONS: { id: string; label: string; Section: ComponentType }[] = [
  { id: 'incidents', label: 'Incidents', Section: IncidentsSection },
  { id: 'maintenance', label: 'Maintenance', Section: MaintenanceSection },
  { id: 'services', label: 'Services', Section: ServicesSection },
  { id: 'checks', label: 'Checks', Section: ChecksSection },
  { id: 'alerts', label: 'Alerts', Section: AlertsSection },
  { id: 'subscribers', label: 'Subscribers', Section: SubscribersSection },
  { id: 'spam', label: 'Suspected spam', Section: SpamSection },
];

/**
 * The admin area: sign in with the admin token (the browser keeps only an httpOnly session
 * cookie), then incidents and their updates, maintenance, services, checks, alert channels
 * and rules, subscribers, suspected spam. Everything here goes through the same API as the token.
 */
export function AdminPage({ section }: { section?: string }) {
  const session = useSession();
  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0];
  useTitle(session?.signedIn ? `Admin: ${current.label}` : 'Admin sign-in');
  if (session === undefined) return <main id="main"><p class="muted">Checking your session…</p></main>;
  if (!session.signedIn) return <SignIn />;
  const { Section } = current;
  return (
    <main id="main" class="admin">
      <div class="admin-head">
        <h1>Admin</h1>
        <SignOutButton />
      </div>
      <nav aria-label="Admin sections" class="seg admin-nav">
        {SECTIONS.map((s) => (
          <a key={s.id} href={`/admin/${s.id}`} aria-current={s.id === current.id ? 'true' : undefined}>
            {s.label}
          </a>
        ))}
      </nav>
      <Section key={current.id} />
    </main>
  );
}

function SignIn() {
  const action = useAction();
  return (
    <main id="main" class="admin">
      <h1>Admin sign-in</h1>
      <form
        class="card admin-form"
        data-testid="sign-in"
        onSubmit={(e) => {
          e.preventDefault();
          const token = (new FormData(e.currentTarget).get('token') as string | null) ?? '';
          void action.run(() => signIn(token));
        }}
      >
        <label>
          Admin token
          <input name="token" type="password" autoComplete="current-password" required minLength={1} maxLength={512} />
        </label>
        <p class="muted small">The server printed it at its first start (or set it with STORMWATCH_ADMIN_TOKEN). It is exchanged for a session cookie; this page does not keep it.</p>
        <button class="primary" type="submit" disabled={action.busy}>
          Sign in
        </button>
        <ActionOutcome action={action} />
      </form>
    </main>
  );
}

function SignOutButton() {
  const action = useAction();
  return (
    <button type="button" disabled={action.busy} onClick={() => void action.run(signOut)}>
      Sign out
    </button>
  );
}
