// The two kinds of node on the SoC diagram: a zone (a domain) and a placed component.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { domainLabel, kindInfo } from '../../model/catalog.ts';
import { protectionOf } from '../../model/check.ts';
import type { Component, ComponentKind, DmaProtection, Severity } from '../../model/types.ts';
import type { Zone } from './geometry.ts';

export type ZoneNodeData = { zone: Zone; compromised?: boolean; emptyBoard?: boolean };
export type ComponentNodeData = {
  component: Component;
  severity: Severity | null;
  problems: number;
  /** The problems in words (problemsInWords), for the badge's tooltip and accessible text. */
  problemsText: string;
  /** Within the blast radius being shown. */
  reach: boolean;
  /** Last access involving it: allowed (blue) or denied (red). */
  flash: 'allow' | 'deny' | null;
};
/**
 * A block's second line has room for about ten characters at the size the diagram must be readable at.
 * A bus master shows its DMA protection there, what a participant looks for (its id names its kind, and
 * its title and accessible name say both); the longest kind names are shortened.
 */
const CHIP_PROTECTION: Record<DmaProtection, string> = { none: 'unprotected', 'firewall-id': 'firewall ID', iommu: 'IOMMU' };
const CHIP_NAMES: Partial<Record<ComponentKind, string>> = { 'security-processor': 'Security', 'crypto-accelerator': 'Crypto' };

export type ZoneNode = Node<ZoneNodeData, 'zone'>;
export type ComponentNode = Node<ComponentNodeData, 'component'>;
export type ChipNode = Node<{ label: string; region: string; reach: boolean; flash: 'allow' | 'deny' | null }, 'chip'>;

// Edges attach to invisible handles in the middle of each node. Hidden by visibility, not opacity:
// React Flow still measures them, and a transparent handle is still painted, each in an effect of its
// own, which the browser sorts into layers again in every frame a block is dragged (about a fifth of
// that work on a 256-component board).
const hidden = { visibility: 'hidden' as const, pointerEvents: 'none' as const, left: '50%', top: '50%' };
function Handles() {
  return (
    <>
      <Handle type="source" position={Position.Top} style={hidden} isConnectable={false} />
      <Handle type="target" position={Position.Top} style={hidden} isConnectable={false} />
    </>
  );
}

export function ZoneView({ data }: NodeProps<ZoneNode>) {
  const { zone } = data;
  const cls = `zone zone-${zone.domain ?? 'none'}${data.compromised ? ' compromised' : ''}`;
  return (
    <section className={cls} aria-label={zone.label} style={{ width: zone.w, height: zone.h }}>
      <header>
        <span className="zone-title">{zone.label}</span>
        {data.compromised && <span className="zone-flag">compromised</span>}
        <span className="zone-hint" title={zone.hint}>{zone.hint}</span>
      </header>
      {data.emptyBoard && zone.domain === null && (
        <p className="zone-empty">
          <span className="for-pointer">Drag hardware from the palette into a zone — or focus a palette item and press Enter.</span>
          <span className="for-touch">Tap an item in the palette, then tap a zone.</span>
        </p>
      )}
      <Handles />
    </section>
  );
}

/** A bus master or a memory region drawn in a zone's header: "CPUs", "16 MiB", "buffers". */
export function ChipView({ data }: NodeProps<ChipNode>) {
  const cpu = data.region.startsWith('cpu:');
  const title = cpu ? `Firewall identity ${data.region}: this environment's CPUs` : `Memory region ${data.region}`;
  return (
    <div className={`ram${data.reach ? ' reach' : ''}${data.flash ? ` flash-${data.flash}` : ''}`} title={title}>
      {cpu ? '⚙' : '▤'} {data.label}
      <Handles />
    </div>
  );
}

export function ComponentView({ data, selected }: NodeProps<ComponentNode>) {
  const { component: c } = data;
  const info = kindInfo(c.kind);
  const cls = ['chip', `chip-${c.domain ?? 'none'}`, selected && 'selected', data.reach && 'reach', data.flash && `flash-${data.flash}`]
    .filter(Boolean)
    .join(' ');
  const badge = data.severity && (
    <span className={`badge badge-${data.severity}`} title={data.problemsText}>
      <span aria-hidden>
        {data.severity === 'error' ? '!' : '?'}
        {/* Set apart by a rule: "!2" read as "12" at this size. */}
        {data.problems > 1 && <span className="badge-count">{data.problems}</span>}
      </span>
      <span className="visually-hidden">{data.problemsText}</span>
    </span>
  );
  return (
    <div className={cls} aria-label={`${c.id}: ${info.name}${info.busMaster ? `, ${CHIP_PROTECTION[protectionOf(c)]}` : ''}, ${domainLabel(c.domain)}`} title={info.explanation}>
      <span className="chip-glyph" aria-hidden>{info.glyph}</span>
      <span className="chip-text">
        <span className="chip-id">{c.id}</span>
        {info.busMaster ? (
          <span className={`chip-kind chip-protection protection-${protectionOf(c)}`}>{CHIP_PROTECTION[protectionOf(c)]}</span>
        ) : (
          <span className="chip-kind">{CHIP_NAMES[c.kind] ?? info.name}</span>
        )}
      </span>
      {badge}
      <Handles />
    </div>
  );
}

/** Empty room above the zones, kept in view, where a short trace lays out its hop labels. */
export function SpacerView() {
  return <div aria-hidden style={{ width: 1, height: 1 }} />;
}

export const nodeTypes = { zone: ZoneView, component: ComponentView, chip: ChipView, spacer: SpacerView };
