/**
 * Photos for an action (after-photos, check photos, scanned minutes): each file goes to
 * POST /media as it is picked; the form value is the list of returned sha256s. Previews are
 * data: URLs before the upload and the stored photo after it (the console's CSP allows no blob:).
 */
import { PlusOutlined } from '@ant-design/icons';
import { Modal, Upload, type UploadFile } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mediaUrl, uploadRaw } from '../../api/client';
import { useShowError } from '../errors';

interface Stored {
  sha256: string;
}

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export interface PhotoUploadProps {
  value?: string[];
  onChange?: (shas: string[]) => void;
  max?: number;
  testId?: string;
}

export function PhotoUpload({ value, onChange, max = 9, testId = 'photo-upload' }: PhotoUploadProps) {
  const { t } = useTranslation('work');
  const showError = useShowError();
  const [files, setFiles] = useState<UploadFile<Stored>[]>(() =>
    (value ?? []).map((sha) => ({ uid: sha, name: sha.slice(0, 8), status: 'done', url: mediaUrl(sha) })),
  );
  const [preview, setPreview] = useState<string | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  // The form sees only finished uploads; a file still uploading is not yet a photo of the case.
  useEffect(() => {
    const shas = files.flatMap((f) => (f.status === 'done' && f.response ? [f.response.sha256] : []));
    changed.current?.(shas);
  }, [files]);

  return (
    <div data-testid={testId}>
      <Upload<Stored>
        listType="picture-card"
        accept="image/jpeg,image/png,image/webp"
        multiple
        maxCount={max}
        fileList={files}
        previewFile={readAsDataUrl}
        customRequest={({ file, onSuccess, onError }) => {
          uploadRaw<Stored>('/media', file as Blob)
            .then((stored) => onSuccess?.(stored))
            .catch((err: Error) => {
              showError(err);
              onError?.(err);
            });
        }}
        onChange={({ fileList }) =>
          setFiles(
            fileList
              .filter((f) => f.status !== 'error')
              .map((f) =>
                f.status === 'done' && f.response
                  ? { ...f, url: mediaUrl(f.response.sha256), thumbUrl: mediaUrl(f.response.sha256) }
                  : f,
              ),
          )
        }
        onPreview={(f) => setPreview(f.url ?? f.thumbUrl ?? null)}
      >
        {files.length >= max ? null : (
          <div>
            <PlusOutlined />
            <div style={{ marginTop: 4, fontSize: 12 }}>{t('common:action.upload')}</div>
          </div>
        )}
      </Upload>
      <div className="ant-form-item-extra">{t('form.photoHint', { max })}</div>
      <Modal open={preview !== null} footer={null} onCancel={() => setPreview(null)} width={720}>
        {preview ? <img alt="" src={preview} style={{ width: '100%' }} /> : null}
      </Modal>
    </div>
  );
}
