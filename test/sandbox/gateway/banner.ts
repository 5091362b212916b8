// What the container prints before its first log event. The licence notice is the real one's wording; the artwork is
// the sandbox's own (the real banner spells the product name in large letters with a logo and "beep-beep"), so a
// parser meets the same mix of blank lines, free text and `version:` / `commit:` lines without our copying it.
import type { GatewayBuild } from './version.ts';

const LICENCE = [
  '(c) Microsoft Corporation. All rights reserved.',
  '',
  "This software is licensed to you as part of your or your company's subscription license for Microsoft Azure Services.",
  'You may only use the software with Microsoft Azure Services and subject to the terms and conditions of the agreement under which you obtained Microsoft Azure Services.',
  'If you do not have an active subscription license for Microsoft Azure Services, you may not use the software.',
  'See Microsoft Azure Legal Information: https://azure.microsoft.com/en-us/support/legal/',
];

const ART = [
  '    _    ____ ___    __  __                                                   _',
  '   /_\\  |  _ \\_ _|  |  \\/  | __ _ _ _  __ _ __ _ ___ _ __  ___ _ _  | |_',
  '  / _ \\ |  _/| |   | |\\/| |/ _` | \' \\/ _` / _` / -_) \'  \\/ -_) \' \\ |  _|',
  ' /_/ \\_\\|_| |___|  |_|  |_|\\__,_|_||_\\__,_\\__, \\___|_|_|_\\___|_||_| \\__|',
  '                                          |___/',
  '   self-hosted  ::  gateway',
  '',
  '         .--------.',
  '        / .------. \\        ~~~>',
  '       | |  o  o  | |     ~~~~~~>',
  '       | |   __   | |       ~~~>',
  '        \\ \'------\' /',
  '         \'--------\'    beep . beep',
  '',
];

/** `version:` is four-part as the real one prints it; `commit:` is a fixed hash per version. */
export function bannerLines(build: GatewayBuild): string[] {
  // 1.x images started with a complaint from their CA bundle update, visible in the seed log's first line.
  const preamble = build.major < 2 ? ['WARNING: ca-certificates.crt does not contain exactly one certificate or CRL: skipping', ''] : [];
  return [...preamble, ...LICENCE, '', ...ART, '', `version: ${build.version}`, `commit: ${build.commit}`];
}
