// The parts of the Engine API's GET /info and GET /version that the preflight reads
// (Docker Engine API v1.41+; Podman's compatible API answers with the same field names).

export interface EngineInfo {
  ServerVersion?: string;
  OperatingSystem?: string;
  OSType?: string;
  Architecture?: string;
  NCPU?: number;
  /** Bytes. */
  MemTotal?: number;
  DockerRootDir?: string;
  Driver?: string;
  /** "systemd", "cgroupfs" or "none" (then the three limits below mean nothing). */
  CgroupDriver?: string;
  MemoryLimit?: boolean;
  PidsLimit?: boolean;
  CPUShares?: boolean;
  /** "1" or "2". */
  CgroupVersion?: string;
  /** e.g. ["name=seccomp,profile=builtin", "name=rootless", "name=cgroupns"]. */
  SecurityOptions?: string[];
  Warnings?: string[] | null;
  KernelVersion?: string;
  Name?: string;
}

export interface EngineVersion {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
  Arch?: string;
  Components?: { Name: string; Version: string; Details?: Record<string, unknown> }[];
}
