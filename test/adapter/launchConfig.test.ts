// Unit tests of the launch configuration (src/debugAdapter/launchConfig.ts), without a DAP connection:
// defaults and the validation of each attribute, and the refusal of files that are certainly not kernels.
// (Launches through the adapter, with their error responses, are in session.test.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkKernelBytes, parseLaunchArguments } from '../../src/debugAdapter/launchConfig';

describe('launch arguments', () => {
  test('defaults and validation', () => {
    const o = parseLaunchArguments({ kernel: 'k.elf', cwd: '/w' });
    assert.equal(o.path, '/w/k.elf');
    assert.equal(o.memory, 512 * 1024 * 1024);
    assert.equal(o.el, 1);
    assert.equal(o.semihosting, true);
    assert.equal(o.stopOnEntry, false);
    assert.equal(parseLaunchArguments({ kernel: 'k', memory: '1G', el: 2, loadAddress: '0x40080000' }).loadAddress, 0x40080000n);
    assert.throws(() => parseLaunchArguments({}), /"kernel" is required/);
    assert.throws(() => parseLaunchArguments({ kernel: 'k', memory: 'lots' }), /"memory"/);
    assert.throws(() => parseLaunchArguments({ kernel: 'k', el: 3 }), /"el"/);
    assert.throws(() => parseLaunchArguments({ kernel: 'k', machine: 'graviton' }), /"machine"/);
    assert.equal(parseLaunchArguments({ kernel: 'k' }).cpu, 'cortex-a57');
    assert.equal(parseLaunchArguments({ kernel: 'k', cpu: 'neoverse-n1' }).cpu, 'neoverse-n1');
    assert.throws(() => parseLaunchArguments({ kernel: 'k', cpu: 'pentium' }), /"cpu": 'pentium' is not a CPU model \(models: cortex-a57, cortex-a72, neoverse-n1, max\)/);
  });

  test('files that are certainly not kernels are refused with their name', () => {
    const text = new TextEncoder().encode('#include <stdio.h>\nint main() {}\n');
    assert.throws(() => checkKernelBytes('/a/notes.txt', text, false), /\/a\/notes\.txt: this is a text file/);
    assert.throws(() => checkKernelBytes('/a/k.elf', Uint8Array.from([1, 2, 3, 4, 0]), false), /\/a\/k\.elf: not an ELF file/);
    assert.throws(() => checkKernelBytes('/a/empty', new Uint8Array(0), false), /\/a\/empty: the file is empty/);
    checkKernelBytes('/a/k.bin', Uint8Array.from([0x1f, 0x20, 0x03, 0xd5, 0, 0, 0, 0]), false);
    checkKernelBytes('/a/k.bin', text, true);
  });
});
