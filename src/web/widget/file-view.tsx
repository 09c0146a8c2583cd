/**
 * CONV-1: a file in the transcript. Images show as a thumbnail (the bytes
 * fetched with the visitor's credentials, shown through a blob: URL) that
 * opens full size in the panel; other files as a download button. Files
 * still uploading show their progress bar, or why they failed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FileRef } from '../../../protocol/frames.js';
import type { Translate } from '../shared/i18n.js';
import type { Chat } from './chat.js';
import type { StringKey } from './strings.js';
import type { Outgoing } from './transcript.js';

const sizeOf = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1048576 ? `${Math.round(n / 1024)} KB` : `${(n / 1048576).toFixed(1)} MB`;

export function FileView(props: { chat: Chat; file: FileRef; t: Translate<StringKey>; onOpen: (url: string) => void }) {
  const { chat, file, t } = props;
  const [url, setUrl] = useState<string | undefined>(undefined);
  const image = file.type.startsWith('image/');
  useEffect(() => {
    if (!image) return;
    let gone = false;
    chat.fileUrl(file.id).then(
      (u) => (gone ? URL.revokeObjectURL(u) : setUrl(u)),
      () => undefined,
    );
    return () => {
      gone = true;
    };
  }, [file.id]);
  if (image)
    return (
      <button
        type="button"
        class="thumb"
        aria-label={t('openImage', { name: file.name })}
        onClick={() => url && props.onOpen(url)}
      >
        {url ? <img src={url} alt={file.name} data-testid="thumb" /> : <span class="thumb-wait" />}
      </button>
    );
  return (
    <button
      type="button"
      class="file"
      aria-label={t('download', { name: file.name })}
      onClick={() =>
        void chat.fileUrl(file.id).then((u) => {
          const a = document.createElement('a');
          a.href = u;
          a.download = file.name;
          a.click();
          setTimeout(() => URL.revokeObjectURL(u), 10_000);
        })
      }
    >
      <svg class="file-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <path
          d="M6 2h8l5 5v15H6zM14 2v5h5M9 13h7M9 17h7"
          stroke="currentColor"
          stroke-width="1.6"
          fill="none"
          stroke-linejoin="round"
        />
      </svg>
      <span class="file-name">{file.name}</span>
      <span class="file-size">{sizeOf(file.size)}</span>
    </button>
  );
}

/** A file on its way: its name and size, then the progress bar, or the reason it failed with a button to remove it. */
export function UploadView(props: { chat: Chat; o: Outgoing; t: Translate<StringKey> }) {
  const { chat, o, t } = props;
  const file = o.file!;
  const percent = Math.round((o.progress ?? 0) * 100);
  return (
    <div class="upload" data-testid="upload">
      <div class="file-name">
        {file.name} <span class="file-size">{sizeOf(file.size)}</span>
      </div>
      {o.problem || o.failed ? (
        <div class="upload-error" role="alert" data-testid="upload-error">
          {o.problem ? t(`upload_${o.problem}`) : o.failed}{' '}
          <button type="button" class="link" onClick={() => chat.dismiss(o.clientMsgId)}>
            {t('remove')}
          </button>
        </div>
      ) : (
        <>
          <div
            class="bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            data-testid="progress"
          >
            <div class="bar-fill" style={{ width: `${percent}%` }} />
          </div>
          <div class="meta">{t('uploading', { percent })}</div>
        </>
      )}
    </div>
  );
}

/** The image at full size over the panel; a click or Esc closes it. */
export function ImageViewer(props: { url: string; t: Translate<StringKey>; onClose: () => void }) {
  return (
    <div
      class="viewer"
      role="dialog"
      aria-label={props.t('closeImage')}
      data-testid="viewer"
      onClick={props.onClose}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <img src={props.url} alt="" />
      <button type="button" class="close viewer-close" aria-label={props.t('closeImage')} ref={(b) => b?.focus()}>
        ×
      </button>
    </div>
  );
}
