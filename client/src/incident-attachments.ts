/**
 * Files shared with an incident report: the list, each with a Download button, and (for
 * officers, issuers and admins) a file picker to attach one. Attachments are served only with
 * the session token, so a download fetches the bytes and hands them to the browser as a Blob
 * under the file's name; an upload sends the file as it is, with its own media type.
 */
import { h } from './dom.ts';
import { getLanguage, localeOf, t } from './i18n/i18n.ts';
import type { IncidentAttachmentDto, IncidentDetailDto } from './incident-types.ts';
import { organisationShortName } from './labels.ts';
import { refusalBox } from './reason.ts';
import type { RegionAsset } from './region-types.ts';
import { formatDateTime } from './time.ts';

/** The media types the hub keeps (README: JPEG, PNG, WebP, TIFF or PDF). */
const accepted: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/tiff': 'tif',
  'application/pdf': 'pdf',
};

/** What the attachment controls do. */
export interface AttachmentActions {
  readonly canWrite: boolean;
  readonly region: RegionAsset | null;
  readonly attach: (incidentId: string, file: File) => Promise<void>;
  readonly download: (href: string) => Promise<Blob>;
  /** Loads the detail again, then focuses the element with this id. */
  readonly reload: (focusId: string) => void;
}

/**
 * The file picker of the open report. The panel keeps one per report it shows, so a file
 * chosen survives the detail being drawn again (a live change of the report).
 */
export function attachmentPicker(): HTMLInputElement {
  return h('input', { id: 'attach-file', type: 'file', accept: Object.keys(accepted).join(',') });
}

/** The name a download is saved under. */
function fileNameOf(file: IncidentAttachmentDto): string {
  if (file.name !== undefined && file.name !== null && file.name !== '') return file.name;
  return `${file.hash.slice(0, 16)}.${accepted[file.contentType] ?? 'bin'}`;
}

function sizeOf(bytes: number): string {
  const format = new Intl.NumberFormat(localeOf(getLanguage()), { maximumFractionDigits: 1 });
  if (bytes < 1024) return t('attach.bytes', { size: format.format(bytes) });
  if (bytes < 1024 * 1024) return t('attach.kilobytes', { size: format.format(bytes / 1024) });
  return t('attach.megabytes', { size: format.format(bytes / (1024 * 1024)) });
}

/** Hands `blob` to the browser as a download named `name`. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the bytes once the click is handled.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}

function fileRow(file: IncidentAttachmentDto, actions: AttachmentActions): HTMLElement {
  const name = fileNameOf(file);
  const button = h(
    'button',
    {
      type: 'button',
      class: 'link-button attachment-download',
      'data-hash': file.hash,
      'aria-label': t('attach.downloadNamed', { name }),
    },
    t('attach.download'),
  );
  const row = h(
    'li',
    { 'data-hash': file.hash },
    h('span', { class: 'cap-text attachment-name' }, name),
    ` · ${file.contentType} · ${sizeOf(file.bytes)}`,
    file.org === undefined || file.at === undefined
      ? null
      : h(
          'span',
          { class: 'muted' },
          ` · ${t('attach.by', {
            org: organisationShortName(actions.region, file.org),
            time: formatDateTime(file.at),
          })}`,
        ),
    ' ',
    button,
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    row.querySelector('.form-error')?.remove();
    actions.download(file.href).then(
      (blob) => {
        button.disabled = false;
        save(blob, name);
      },
      (error: unknown) => {
        button.disabled = false;
        row.append(refusalBox('attach-download-error', 'attach.downloadFailed', error));
      },
    );
  });
  return row;
}

function uploadForm(
  detail: IncidentDetailDto,
  picker: HTMLInputElement,
  actions: AttachmentActions,
): HTMLElement {
  const send = h(
    'button',
    { type: 'submit', id: 'attach-send', class: 'quiet-button' },
    t('attach.send'),
  );
  const error = h('div', { class: 'attach-error' });
  const form = h(
    'form',
    { id: 'attach-form', class: 'attach-form', novalidate: true },
    h('label', { class: 'form-field' }, h('span', {}, t('attach.choose')), picker),
    send,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.replaceChildren();
    const file = picker.files?.[0];
    if (file === undefined) {
      error.append(h('p', { class: 'form-error', role: 'alert' }, t('attach.pick')));
      picker.focus();
      return;
    }
    send.disabled = true;
    send.textContent = t('attach.sending');
    actions.attach(detail.id, file).then(
      () => {
        picker.value = '';
        actions.reload('attachments-title');
      },
      (failure: unknown) => {
        send.disabled = false;
        send.textContent = t('attach.send');
        error.append(refusalBox('attach-error', 'attach.failed', failure));
      },
    );
  });
  return form;
}

/** Files shared with the report, and the upload form; null when neither has anything to show. */
export function attachmentsSection(
  detail: IncidentDetailDto,
  picker: HTMLInputElement,
  actions: AttachmentActions,
): HTMLElement | null {
  const files = detail.attachments ?? [];
  if (files.length === 0 && !actions.canWrite) return null;
  return h(
    'section',
    { class: 'detail-section', 'data-section': 'attachments' },
    h('h3', { id: 'attachments-title', tabindex: -1 }, t('attachments.title')),
    files.length === 0
      ? h('p', { class: 'muted' }, t('attach.none'))
      : h(
          'ul',
          { id: 'attachment-list', class: 'plain' },
          ...files.map((f) => fileRow(f, actions)),
        ),
    actions.canWrite ? uploadForm(detail, picker, actions) : null,
  );
}
