// A QR code drawn as SVG rectangles (no image URL, so the console's CSP stays strict). Encoding by
// qrcode-generator; error correction M, which authenticator apps read easily from a screen.
import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

type Props = { value: string; size?: number; title: string; 'data-testid'?: string };

export function QrCode({ value, size = 192, title, ...rest }: Props) {
  const { count, path } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(value, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    let d = '';
    for (let row = 0; row < n; row++)
      for (let col = 0; col < n; col++) if (qr.isDark(row, col)) d += `M${col + 4} ${row + 4}h1v1h-1z`;
    return { count: n, path: d };
  }, [value]);
  const extent = count + 8; // the 4-module quiet zone scanners need
  return (
    <svg
      width={size}
      height={size}
      viewBox={`0 0 ${extent} ${extent}`}
      role="img"
      aria-label={title}
      shapeRendering="crispEdges"
      data-testid={rest['data-testid']}
    >
      <rect width={extent} height={extent} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
