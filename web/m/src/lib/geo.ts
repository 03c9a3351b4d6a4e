/** The phone's position: one fix for a report, and a geodesic circle to draw its accuracy. */
export interface Fix {
  lng: number;
  lat: number;
  /** Metres (68 % radius) as the browser reports it; null once the user placed the point. */
  accuracyM: number | null;
  manual: boolean;
}

export function currentFix(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new Error('no geolocation'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          lng: p.coords.longitude,
          lat: p.coords.latitude,
          accuracyM: Math.round(p.coords.accuracy),
          manual: false,
        }),
      reject,
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 10_000 },
    );
  });
}

/** A polygon approximating the accuracy circle (enough for a few hundred metres). */
export function circle(lng: number, lat: number, radiusM: number, steps = 40): [number, number][] {
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
  const ring: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const a = (i / steps) * 2 * Math.PI;
    ring.push([lng + dLng * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return ring;
}
