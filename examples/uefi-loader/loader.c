/* loader.c - an example UEFI boot loader, the path the cloud takes on Graviton: started by the firmware as
 * EFI/BOOT/BOOTAA64.EFI, it prints through the console protocol, reads \kernel.bin from the volume it was
 * loaded from (LoadedImage -> DeviceHandle -> SimpleFileSystem), finds the ACPI 2.0 RSDP in the
 * configuration table, gets the memory map, exits boot services and jumps to the kernel with x0 = RSDP.
 * Built with clang and lld-link into a PE32+ AArch64 application (see Makefile). */
#include "efi.h"

static EFI_SYSTEM_TABLE *ST;

/* The compiler may emit calls to these for struct copies and zeroing; there is no C library here. */
void *memset(void *d, int c, UINTN n) {
  UINT8 *p = d;
  while (n--) *p++ = (UINT8)c;
  return d;
}
void *memcpy(void *d, const void *s, UINTN n) {
  UINT8 *p = d;
  const UINT8 *q = s;
  while (n--) *p++ = *q++;
  return d;
}

static void puts16(const CHAR16 *s) { ST->ConOut->OutputString(ST->ConOut, s); }

static void puts8(const char *s) {
  CHAR16 buf[128];
  UINTN n = 0;
  while (*s) {
    if (*s == '\n') buf[n++] = '\r';
    buf[n++] = (CHAR16)*s++;
    if (n >= 120) {
      buf[n] = 0;
      puts16(buf);
      n = 0;
    }
  }
  buf[n] = 0;
  puts16(buf);
}

static void puthex(UINT64 v) {
  char b[19] = "0x";
  for (int i = 0; i < 16; i++) b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
  b[18] = 0;
  puts8(b);
}

static void fail(const char *what, EFI_STATUS s) {
  puts8("loader: ");
  puts8(what);
  puts8(" failed, status ");
  puthex(s);
  puts8("\n");
  for (;;) __asm__ volatile("wfi");
}

static int guid_eq(const EFI_GUID *a, const EFI_GUID *b) {
  const UINT8 *x = (const UINT8 *)a, *y = (const UINT8 *)b;
  for (int i = 0; i < 16; i++)
    if (x[i] != y[i]) return 0;
  return 1;
}

typedef void (*kernel_entry)(void *rsdp);

/* A table of pointers: its entries are absolute addresses, so the image carries DIR64 base relocations
 * that the firmware must apply when it loads the loader anywhere but its ImageBase. */
static const char *const steps[] = { "console", "file", "ACPI", "memory map", "exit boot services" };

static void step(int i) {
  puts8("loader: step ");
  puts8(steps[i]);
  puts8("\n");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st) {
  static const EFI_GUID loaded_image_guid = LOADED_IMAGE_GUID, sfs_guid = SIMPLE_FILE_SYSTEM_GUID,
                        info_guid = FILE_INFO_GUID, acpi_guid = ACPI_20_TABLE_GUID;
  EFI_BOOT_SERVICES *bs = st->BootServices;
  EFI_STATUS s;
  ST = st;
  puts8("loader: A64 Studio example UEFI loader\n");
  step(0);

  step(1);
  EFI_LOADED_IMAGE_PROTOCOL *li;
  if ((s = bs->HandleProtocol(image, &loaded_image_guid, (void **)&li))) fail("HandleProtocol(LoadedImage)", s);
  EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
  if ((s = bs->HandleProtocol(li->DeviceHandle, &sfs_guid, (void **)&fs))) fail("HandleProtocol(SimpleFileSystem)", s);
  EFI_FILE_PROTOCOL *root, *file;
  if ((s = fs->OpenVolume(fs, &root))) fail("OpenVolume", s);
  if ((s = root->Open(root, &file, u"\\kernel.bin", EFI_FILE_MODE_READ, 0))) fail("Open(\\kernel.bin)", s);
  UINT64 infobuf[64];
  UINTN isz = sizeof infobuf;
  if ((s = file->GetInfo(file, &info_guid, &isz, infobuf))) fail("GetInfo", s);
  UINTN size = ((EFI_FILE_INFO *)infobuf)->FileSize;
  EFI_PHYSICAL_ADDRESS kernel;
  if ((s = bs->AllocatePages(AllocateAnyPages, EfiLoaderCode, (size + 4095) / 4096, &kernel))) fail("AllocatePages", s);
  UINTN got = size;
  if ((s = file->Read(file, &got, (void *)kernel)) || got != size) fail("Read(\\kernel.bin)", s);
  file->Close(file);
  puts8("loader: read \\kernel.bin, ");
  puthex(size);
  puts8(" bytes\n");

  step(2);
  void *rsdp = 0;
  for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
    if (guid_eq(&st->ConfigurationTable[i].VendorGuid, &acpi_guid)) rsdp = st->ConfigurationTable[i].VendorTable;
  if (!rsdp) fail("finding the ACPI 2.0 table", 0);
  const char *sig = rsdp;
  puts8("loader: ACPI RSDP found, signature ");
  char sigtxt[9];
  for (int i = 0; i < 8; i++) sigtxt[i] = sig[i];
  sigtxt[8] = 0;
  puts8(sigtxt);
  puts8("\n");

  /* The memory map: ask for its size, allocate room for it (which can add a descriptor), then get it. */
  step(3);
  UINTN msize = 0, key, dsize;
  UINT32 dver;
  s = bs->GetMemoryMap(&msize, 0, &key, &dsize, &dver);
  if (s != EFI_BUFFER_TOO_SMALL) fail("GetMemoryMap (size)", s);
  msize += 4 * dsize;
  EFI_MEMORY_DESCRIPTOR *map;
  if ((s = bs->AllocatePool(EfiLoaderData, msize, (void **)&map))) fail("AllocatePool", s);
  if ((s = bs->GetMemoryMap(&msize, map, &key, &dsize, &dver))) fail("GetMemoryMap", s);
  UINT64 conventional = 0;
  for (UINTN off = 0; off < msize; off += dsize) {
    EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)((UINT8 *)map + off);
    if (d->Type == 7) conventional += d->NumberOfPages;
  }
  puts8(conventional ? "loader: memory map has conventional memory\n" : "loader: memory map has NO conventional memory\n");
  step(4);
  s = bs->ExitBootServices(image, key);
  if (s == EFI_INVALID_PARAMETER) { /* the map changed (e.g. by our printing): get it again and retry once */
    msize += 4 * dsize;
    if ((s = bs->GetMemoryMap(&msize, map, &key, &dsize, &dver)) == 0) s = bs->ExitBootServices(image, key);
  }
  if (s) fail("ExitBootServices", s);
  ((kernel_entry)kernel)(rsdp);
  return 0;
}
