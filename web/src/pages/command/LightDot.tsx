/** A traffic-light dot (app.css `.light`); `none` (no running time limit) is grey. */
export function LightDot({ light }: { light: string }) {
  return light === 'none' ? (
    <span className="light" style={{ background: '#8c8c8c' }} />
  ) : (
    <span className={`light light-${light}`} />
  );
}
