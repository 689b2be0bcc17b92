// Provinces and cities of China in Chinese ("广东省深圳市", "深圳", "广东") and English ("Shenzhen").
import { CITY_ENGLISH, PROVINCES } from './regions.ts';

export interface LocationValue {
  province: string;
  city?: string;
}

interface Place {
  province: string;
  city?: string;
  /** An everyday word too: only a place right after its province. */
  needsProvince: boolean;
}

interface LocationIndex {
  /** Surface form → places, longest surfaces tried first. */
  bySurface: Map<string, Place[]>;
  surfaces: string[];
  english: RegExp;
  englishPlaces: Map<string, Place>;
}

function addSurface(index: Map<string, Place[]>, surface: string, place: Place): void {
  const list = index.get(surface) ?? [];
  list.push(place);
  index.set(surface, list);
}

function buildIndex(): LocationIndex {
  const bySurface = new Map<string, Place[]>();
  const englishPlaces = new Map<string, Place>();
  for (const p of PROVINCES) {
    const provincePlace: Place = { province: p.name, needsProvince: false };
    const isMunicipality = p.cities.length === 1 && p.cities[0] === p.name;
    const whole = isMunicipality ? { province: p.name, city: p.name, needsProvince: false } : provincePlace;
    addSurface(bySurface, p.name, whole);
    addSurface(bySurface, p.short, whole);
    if (p.name.endsWith('省')) addSurface(bySurface, `${p.short}省`, whole);
    englishPlaces.set(p.en.toLowerCase(), whole);
    if (isMunicipality) continue;
    for (const entry of p.cities) {
      const [officialRaw, shortRaw] = entry.split('|') as [string, string | undefined];
      const officialAmbiguous = officialRaw.startsWith('*');
      const official = officialRaw.replace('*', '');
      addSurface(bySurface, official, { province: p.name, city: official, needsProvince: false });
      const short =
        shortRaw ?? (official.endsWith('市') && official.length > 2 ? official.slice(0, -1) : undefined);
      if (short) {
        const ambiguous = officialAmbiguous || short.startsWith('*');
        addSurface(bySurface, short.replace('*', ''), {
          province: p.name,
          city: official,
          needsProvince: ambiguous,
        });
      }
      const en = CITY_ENGLISH[official];
      if (en) englishPlaces.set(en.toLowerCase(), { province: p.name, city: official, needsProvince: false });
    }
  }
  englishPlaces.set('macao', englishPlaces.get('macau')!);
  englishPlaces.set('hongkong', englishPlaces.get('hong kong')!);
  const surfaces = [...bySurface.keys()].sort((a, b) => b.length - a.length);
  const names = [...englishPlaces.keys()]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[ ']/g, "[\\s']?"));
  const english = new RegExp(`\\b(${names.join('|')})(?:\\s+(?:province|city|shi|sheng))?\\b`, 'g');
  return { bySurface, surfaces, english, englishPlaces };
}

// Built once: pure lookup tables derived from the static region list.
let index: LocationIndex | null = null;

interface Hit {
  start: number;
  end: number;
  place: Place;
}

function chineseHits(text: string, idx: LocationIndex): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < text.length) {
    let matched: Hit | null = null;
    for (const surface of idx.surfaces) {
      if (!text.startsWith(surface, i)) continue;
      const places = idx.bySurface.get(surface)!;
      const previous = hits[hits.length - 1];
      const afterProvince = previous !== undefined && previous.end === i && !previous.place.city;
      // Prefer the province reading of a shared name (吉林), unless it follows that province (吉林吉林).
      const place =
        places.find((p) => afterProvince && p.city && p.province === previous.place.province) ??
        places.find(
          (p) => !p.needsProvince && (!afterProvince || !p.city || p.province === previous.place.province),
        ) ??
        places.find((p) => !p.needsProvince);
      if (!place) continue;
      matched = { start: i, end: i + surface.length, place };
      break;
    }
    if (matched) {
      hits.push(matched);
      i = matched.end;
    } else i++;
  }
  return hits;
}

/** Joins "广东" + "深圳" into one location; a city alone brings its province. */
function merge(hits: readonly Hit[]): { start: number; end: number; value: LocationValue }[] {
  const out: { start: number; end: number; value: LocationValue }[] = [];
  for (const hit of hits) {
    const last = out[out.length - 1];
    if (
      last &&
      last.end === hit.start &&
      !last.value.city &&
      hit.place.city &&
      hit.place.province === last.value.province
    ) {
      last.end = hit.end;
      last.value = { province: hit.place.province, city: hit.place.city };
      continue;
    }
    out.push({
      start: hit.start,
      end: hit.end,
      value: hit.place.city
        ? { province: hit.place.province, city: hit.place.city }
        : { province: hit.place.province },
    });
  }
  return out;
}

export function extractLocations(lowerText: string): { start: number; end: number; value: LocationValue }[] {
  index ??= buildIndex();
  const idx = index;
  const hits = chineseHits(lowerText, idx);
  for (const m of lowerText.matchAll(idx.english)) {
    const key = m[1]!.replace(/\s+/g, ' ').replace('hongkong', 'hong kong');
    const place = idx.englishPlaces.get(key) ?? idx.englishPlaces.get(key.replace(/\s/g, ''));
    if (place) hits.push({ start: m.index, end: m.index + m[0].length, place });
  }
  return merge(hits.sort((a, b) => a.start - b.start));
}
