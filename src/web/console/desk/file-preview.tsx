/** CONV-1: a file of a message: an image shown inline (fetched with the staff token), any other file as a download link. */
import { useEffect, useState } from 'preact/hooks';
import type { DeskModel } from './desk-model.js';

export function FilePreview({
  model,
  file,
}: {
  model: DeskModel;
  file: { id: string; name: string; type: string; size: number };
}) {
  const [url, setUrl] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let revoke: string | undefined;
    model
      .fileUrl(file.id)
      .then((u) => {
        revoke = u;
        setUrl(u);
      })
      .catch(() => setFailed(true));
    return () => revoke && URL.revokeObjectURL(revoke);
  }, [file.id]);
  const kb = `${Math.max(1, Math.round(file.size / 1024))} KB`;
  if (failed) return <span class="desk-file desk-muted">{file.name}</span>;
  if (file.type.startsWith('image/') && url)
    return (
      <a href={url} target="_blank" rel="noreferrer" class="desk-file">
        <img src={url} alt={file.name} data-testid="image-preview" />
      </a>
    );
  return (
    <a href={url} download={file.name} class="desk-file">
      {file.name} ({kb})
    </a>
  );
}
