/**
 * Camera photos for a report or an answer: the phone's camera opens directly (capture), every
 * photo is shrunk to ≤1600 px JPEG at once, and the Blobs are kept for the outbox.
 */
import { Image, ImageViewer, Toast } from 'antd-mobile';
import { AddOutline, CloseOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resizePhoto } from '../lib/photos';

export interface PhotoItem {
  url: string;
  blob: Blob;
}

/** Preview URLs are released a little after they leave the screen, never under a loading image. */
const release = (url: string) => setTimeout(() => URL.revokeObjectURL(url), 30_000);

export function PhotoPicker({
  value,
  onChange,
  max = 6,
  testId,
}: {
  value: PhotoItem[];
  onChange: (v: PhotoItem[]) => void;
  max?: number;
  testId: string;
}) {
  const { t } = useTranslation('mobile');
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const shown = useRef(value);
  shown.current = value;
  useEffect(
    () => () => {
      for (const p of shown.current) release(p.url);
    },
    [],
  );

  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    const room = max - value.length;
    if (files.length > room) Toast.show(t('photos.tooMany', { max }));
    setBusy(true);
    try {
      const added: PhotoItem[] = [];
      for (const file of [...files].slice(0, Math.max(0, room))) {
        const blob = await resizePhoto(file);
        added.push({ url: URL.createObjectURL(blob), blob });
      }
      onChange([...shown.current, ...added]);
    } catch {
      Toast.show({ content: t('photos.unreadable'), icon: 'fail' });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  const remove = (item: PhotoItem) => {
    release(item.url);
    onChange(value.filter((p) => p !== item));
  };

  return (
    <div className="photo-picker" data-testid={testId}>
      {value.map((p, i) => (
        <div className="photo-cell" key={p.url} data-testid="photo-thumb">
          <Image
            src={p.url}
            width={80}
            height={80}
            fit="cover"
            onClick={() => ImageViewer.Multi.show({ images: value.map((x) => x.url), defaultIndex: i })}
          />
          <button
            type="button"
            className="photo-remove"
            aria-label={t('photos.remove')}
            onClick={() => remove(p)}
          >
            <CloseOutline />
          </button>
        </div>
      ))}
      {value.length < max && (
        <label className="photo-add" aria-busy={busy}>
          <AddOutline fontSize={28} />
          <span>{busy ? t('photos.processing') : t('photos.take')}</span>
          <input
            ref={input}
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            hidden
            onChange={(e) => void add(e.target.files)}
          />
        </label>
      )}
    </div>
  );
}

export const blobsOf = (items: PhotoItem[]) => items.map((p) => p.blob);
