import type { ComponentChildren } from 'preact';
import { admin, formValues } from './admin-api.js';
import { ActionOutcome, useAction, type Action } from './use-action.js';

/** How a row is deleted: the API path, the button's word, and what to announce after. */
export interface RowDelete<T> {
  /** The DELETE path for the item, or undefined when it cannot be deleted here (read from the config file). */
  path: (item: T) => string | undefined;
  label: 'Delete' | 'Remove';
  done: (item: T) => string;
  /** Asked before deleting, when deleting takes more than the row with it. */
  confirm?: (item: T) => string;
}

interface AdminListProps<T> {
  items: readonly T[] | undefined;
  rowKey: (item: T) => string;
  /** The row's columns, before its delete button. */
  row: (item: T) => ComponentChildren;
  remove: RowDelete<T>;
  /** Called after a delete, to load the list again. */
  reload: () => void;
  /** A delete action shared with other lists, which then shows its outcome; by default the list has its own. */
  action?: Action;
  testId?: string;
}

/** A list of things made in the admin area, each row with a button that deletes it and reloads the list. */
export function AdminList<T>({ items, rowKey, row, remove, reload, action, testId }: AdminListProps<T>) {
  const own = useAction();
  const run = action ?? own;
  const del = (item: T, path: string): void => {
    if (remove.confirm && !confirm(remove.confirm(item))) return;
    void run.run(async () => {
      await admin.del(path);
      reload();
      return remove.done(item);
    });
  };
  return (
    <>
      <ul class="admin-list" data-testid={testId}>
        {(items ?? []).map((item) => {
          const path = remove.path(item);
          return (
            <li key={rowKey(item)} class="admin-item">
              <div class="admin-item-head">
                {row(item)}
                {path !== undefined && (
                  <button type="button" class="small-button" disabled={run.busy} onClick={() => del(item, path)}>
                    {remove.label}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {!action && <ActionOutcome action={own} />}
    </>
  );
}

interface AddFormProps {
  /** The submit button's words ("Add service"). */
  submit: string;
  primary?: boolean;
  /** Sends the form's values to the API and says what was added; the form is then cleared and `added` called. */
  send: (values: Record<string, string>, form: HTMLFormElement) => Promise<string>;
  added: () => void;
  /** `data-testid` of the form, for browser tests. */
  testId?: string;
  children: ComponentChildren;
}

/** The form that adds to an admin list: sends, clears itself, reloads the list, announces the outcome. */
export function AddForm({ submit, primary, send, added, testId, children }: AddFormProps) {
  const action = useAction();
  return (
    <form
      class="admin-form"
      data-testid={testId}
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const v = formValues(form);
        void action.run(async () => {
          const done = await send(v, form);
          form.reset();
          added();
          return done;
        });
      }}
    >
      {children}
      <button class={primary ? 'primary' : undefined} type="submit" disabled={action.busy}>
        {submit}
      </button>
      <ActionOutcome action={action} />
    </form>
  );
}
