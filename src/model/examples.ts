// Example boards: three clean ones, one per SoC, and one deliberately broken
// board for the "find what is wrong" exercise. The files in public/examples/
// are these boards serialized (a test keeps them in step).

import type { Board, Component, RefreshPolicy } from './types.ts';

export interface Example {
  id: string;
  title: string;
  description: string;
  board: Board;
}

/** A board from its parts; examples refresh the application VM daily unless told otherwise. */
export function composeBoard(name: string, soc: Board['soc'], components: Component[], system: number, app: number,
  refresh: RefreshPolicy = { everySeconds: 86400, onCrash: true, onCompromise: true }): Board {
  return {
    format: 'isolation-lab/board',
    version: 1,
    name,
    soc,
    components,
    vms: {
      system: { memoryMiB: system },
      app: { memoryMiB: app, refresh },
    },
    firewall: { enforce: true },
  };
}

const board = composeBoard;

export const EXAMPLES: Example[] = [
  {
    id: 'smart-oven',
    title: 'Smart oven',
    description:
      'A connected oven on a 64 MiB Cortex-A7 + Cortex-M4 SoC. The touch display and buttons belong to the '
      + 'application VM; the heater (PWM) and the temperature probe (ADC) to the real-time container, so '
      + 'cooking stays safe while the UI is refreshed; the security processor stays with the system VM; '
      + 'Wi-Fi and flash are shared through paravirtual devices. Its DMA engine has its own firewall identity.',
    board: board('Smart oven', 'iot-a7m4', [
      { id: 'disp0', kind: 'display', domain: 'app' },
      { id: 'gpio0', kind: 'gpio', domain: 'app' },
      { id: 'audio0', kind: 'audio', domain: 'app' },
      { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'firewall-id' },
      { id: 'pwm0', kind: 'pwm', domain: 'rt' },
      { id: 'adc0', kind: 'adc', domain: 'rt' },
      { id: 'sec0', kind: 'security-processor', domain: 'system' },
      { id: 'wdt0', kind: 'watchdog', domain: 'system' },
      { id: 'wifi0', kind: 'wifi', domain: 'shared' },
      { id: 'flash0', kind: 'flash', domain: 'shared' },
    ], 16, 24),
  },
  {
    id: 'industrial-sensor',
    title: 'Industrial sensor',
    description:
      'A vibration sensor on a 16 MiB microcontroller-class SoC, where two kernels barely fit. The real-time '
      + 'container samples the sensor over SPI and the ADC and talks CAN to the machine, with a DMA engine '
      + 'contained by its own firewall identity; the application VM has a service UART; the system VM keeps '
      + 'the security processor and the watchdog; Wi-Fi and flash are shared.',
    board: board('Industrial sensor', 'mcu-16', [
      { id: 'uart0', kind: 'uart', domain: 'app' },
      { id: 'spi0', kind: 'spi', domain: 'rt' },
      { id: 'adc0', kind: 'adc', domain: 'rt' },
      { id: 'can0', kind: 'can', domain: 'rt' },
      { id: 'dma0', kind: 'dma', domain: 'rt', dmaProtection: 'firewall-id' },
      { id: 'sec0', kind: 'security-processor', domain: 'system' },
      { id: 'wdt0', kind: 'watchdog', domain: 'system' },
      { id: 'wifi0', kind: 'wifi', domain: 'shared' },
      { id: 'flash0', kind: 'flash', domain: 'shared' },
    ], 4, 6),
  },
  {
    id: 'edge-gateway',
    title: 'Edge gateway',
    description:
      'A 1 GiB gateway with Ethernet, cellular and an IOMMU. The application VM runs analytics on the NPU and '
      + 'reads USB devices, its DMA engine translated by the IOMMU; the real-time container speaks CAN and I2C '
      + 'to the field; the system VM owns the security processor and the watchdog; Ethernet, the modem and '
      + 'flash are offered to the application VM as paravirtual devices behind the system firewall.',
    board: board('Edge gateway', 'gateway-a53', [
      { id: 'usb0', kind: 'usb-host', domain: 'app' },
      { id: 'npu0', kind: 'npu', domain: 'app' },
      { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'iommu' },
      { id: 'can0', kind: 'can', domain: 'rt' },
      { id: 'i2c0', kind: 'i2c', domain: 'rt' },
      { id: 'sec0', kind: 'security-processor', domain: 'system' },
      { id: 'wdt0', kind: 'watchdog', domain: 'system' },
      { id: 'eth0', kind: 'ethernet', domain: 'shared' },
      { id: 'modem0', kind: 'cellular', domain: 'shared' },
      { id: 'flash0', kind: 'flash', domain: 'shared' },
    ], 256, 512),
  },
  {
    id: 'broken-oven',
    title: 'Broken oven (find the mistakes)',
    description:
      'The smart oven, wired in a hurry. The DMA engine in the application VM is unprotected (a VM escape), '
      + 'the security processor and the flash were given to the application VM, Wi-Fi and the SD card both '
      + 'claim the SDIO pads, the VMs ask for more memory than the chip has, Wi-Fi is passed straight to the '
      + 'application VM and a GPIO bank was never assigned. Fix every diagnostic.',
    board: board('Broken oven', 'iot-a7m4', [
      { id: 'disp0', kind: 'display', domain: 'app' },
      { id: 'gpio0', kind: 'gpio', domain: null },
      { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'none' },
      { id: 'sd0', kind: 'sdcard', domain: 'app' },
      { id: 'pwm0', kind: 'pwm', domain: 'rt' },
      { id: 'adc0', kind: 'adc', domain: 'rt' },
      { id: 'sec0', kind: 'security-processor', domain: 'app' },
      { id: 'flash0', kind: 'flash', domain: 'app' },
      { id: 'wifi0', kind: 'wifi', domain: 'app' },
      { id: 'wdt0', kind: 'watchdog', domain: 'system' },
    ], 24, 40),
  },
];

export function example(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
