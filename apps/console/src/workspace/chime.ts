// A short two-note chime made with WebAudio (no sound file to ship or download): two soft sine tones
// with quick fades so they do not click.
export function playChime(context: AudioContext): void {
  const start = context.currentTime + 0.01;
  const notes: [frequency: number, at: number][] = [
    [880, 0],
    [1320, 0.14],
  ];
  for (const [frequency, at] of notes) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0, start + at);
    gain.gain.linearRampToValueAtTime(0.18, start + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.001, start + at + 0.22);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + at);
    oscillator.stop(start + at + 0.25);
  }
}
