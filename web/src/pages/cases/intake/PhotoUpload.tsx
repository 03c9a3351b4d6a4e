import { PlusOutlined } from '@ant-design/icons';
import { Upload, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import { uploadRaw } from '../../../api/client';
import { useShowError } from '../../../components/errors';

export interface PhotoUploadProps {
  files: UploadFile[];
  onChange: (files: UploadFile[]) => void;
  max?: number;
}

/** The sha256 of every uploaded photo, in order (what POST /cases takes). */
export const uploadedShas = (files: UploadFile[]) =>
  files
    .filter((f) => f.status === 'done' && typeof f.response?.sha256 === 'string')
    .map((f) => f.response.sha256 as string);

/** Photos uploaded one by one as raw bodies to POST /media; thumbnails preview before submit. */
export function PhotoUpload({ files, onChange, max = 9 }: PhotoUploadProps) {
  const { t } = useTranslation();
  const showError = useShowError();
  return (
    <Upload
      data-testid="photo-upload"
      listType="picture-card"
      accept="image/jpeg,image/png,image/webp"
      multiple
      fileList={files}
      onChange={({ fileList }) => onChange(fileList)}
      customRequest={({ file, onSuccess, onError }) => {
        uploadRaw<{ sha256: string }>('/media', file as Blob)
          .then((res) => onSuccess?.(res))
          .catch((err: Error) => {
            showError(err);
            onError?.(err);
          });
      }}
    >
      {files.length >= max ? null : (
        <div>
          <PlusOutlined />
          <div style={{ marginTop: 4 }}>{t('action.upload')}</div>
        </div>
      )}
    </Upload>
  );
}
