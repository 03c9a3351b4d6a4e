import { Col, Empty, Image, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { mediaUrl } from '../../api/client';

function Strip({ title, shas, testId }: { title: string; shas: string[]; testId: string }) {
  const { t } = useTranslation('cases');
  return (
    <div data-testid={testId}>
      <Typography.Text type="secondary">{title}</Typography.Text>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 6, minHeight: 96 }}>
        {shas.length ? (
          shas.map((sha) => (
            <Image
              key={sha}
              src={mediaUrl(sha)}
              width={96}
              height={96}
              style={{ objectFit: 'cover', borderRadius: 4 }}
              alt=""
            />
          ))
        ) : (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('detail.noPhotos')}
            style={{ margin: 0 }}
          />
        )}
      </div>
    </div>
  );
}

/** Before- and after-photos side by side; one preview group so arrows walk through all of them. */
export function CasePhotos({ photos }: { photos: { before: string[]; after: string[] } }) {
  const { t } = useTranslation('cases');
  return (
    <Image.PreviewGroup>
      <Row gutter={16}>
        <Col span={12}>
          <Strip title={t('detail.before')} shas={photos.before} testId="photos-before" />
        </Col>
        <Col span={12}>
          <Strip title={t('detail.after')} shas={photos.after} testId="photos-after" />
        </Col>
      </Row>
    </Image.PreviewGroup>
  );
}
