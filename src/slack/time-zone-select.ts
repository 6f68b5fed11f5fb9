// A time zone picked from a list instead of typed: every IANA zone Node knows, grouped by region.
import type { PlainTextOption, StaticSelect } from '@slack/types';
import { option, plain } from './blocks.ts';

// Slack takes at most 100 options per group (and 100 groups): bigger regions are cut in parts.
const PER_GROUP = 100;

/** "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires" (the region is the group's label). */
const placeName = (zone: string) => zone.split('/').slice(1).join(' / ').replaceAll('_', ' ') || zone;

const zoneOption = (zone: string): PlainTextOption => option(placeName(zone), zone);

function zoneGroups(): { label: string; zones: string[] }[] {
  const byRegion = new Map<string, string[]>([['UTC', ['UTC']]]);
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const region = zone.includes('/') ? zone.split('/')[0]! : 'Other';
    byRegion.set(region, [...(byRegion.get(region) ?? []), zone]);
  }
  return [...byRegion].flatMap(([region, zones]) => {
    if (zones.length <= PER_GROUP) return [{ label: region, zones }];
    const parts: { label: string; zones: string[] }[] = [];
    for (let i = 0; i < zones.length; i += PER_GROUP) {
      const part = zones.slice(i, i + PER_GROUP);
      const letter = (zone: string) => placeName(zone).charAt(0).toUpperCase();
      parts.push({ label: `${region} (${letter(part[0]!)}–${letter(part.at(-1)!)})`, zones: part });
    }
    return parts;
  });
}

/** A static select of time zones, `selected` chosen (kept even when it is an alias missing from the list). */
export function timeZoneSelect(actionId: string, selected: string): StaticSelect {
  const groups = zoneGroups();
  const known = groups.some((g) => g.zones.includes(selected));
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: plain('Type a city, such as London'),
    option_groups: [
      // An alias someone typed before the list existed stays pickable, under its own name.
      ...(known ? [] : [{ label: plain('Current'), options: [option(selected, selected)] }]),
      ...groups.map((g) => ({ label: plain(g.label), options: g.zones.map(zoneOption) })),
    ],
    initial_option: known ? zoneOption(selected) : option(selected, selected),
  };
}
