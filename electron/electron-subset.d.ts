// The part of Electron's API (v45, as documented on electronjs.org) that main.js and preload.cjs
// use. `electron/tsconfig.json` maps the module `electron` here, so `tsc -p electron` checks the
// shell on machines where the electron package and its types are not installed.

export interface WebContentsEvent {
  url: string;
  preventDefault(): void;
}

export interface WebFrameMain {
  url: string;
}

export interface WebContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: WebContentsEvent) => void): this;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface BrowserWindowOptions {
  title?: string;
  width?: number;
  height?: number;
  minWidth?: number;
  minHeight?: number;
  show?: boolean;
  backgroundColor?: string;
  webPreferences?: {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInWorker?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    webviewTag?: boolean;
    spellcheck?: boolean;
  };
}

export declare class BrowserWindow {
  constructor(options?: BrowserWindowOptions);
  readonly webContents: WebContents;
  once(event: 'ready-to-show', listener: () => void): this;
  loadURL(url: string): Promise<void>;
  show(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
}

export interface App {
  readonly isPackaged: boolean;
  getPath(name: 'documents' | 'userData'): string;
  setPath(name: 'userData', path: string): void;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance' | 'window-all-closed' | 'will-quit', listener: () => void): this;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): this;
}

export interface OpenDialogOptions {
  title?: string;
  properties?: 'openFile'[];
  filters?: { name: string; extensions: string[] }[];
}

export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
}

export interface Dialog {
  showErrorBox(title: string, content: string): void;
  showOpenDialog(
    window: BrowserWindow,
    options: OpenDialogOptions,
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(
    window: BrowserWindow,
    options: SaveDialogOptions,
  ): Promise<{ canceled: boolean; filePath: string }>;
}

export interface IpcMainEvent {
  sender: WebContents;
  senderFrame: WebFrameMain | null;
  returnValue: unknown;
}

export interface IpcMain {
  on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): this;
  handle(
    channel: string,
    listener: (event: IpcMainEvent, ...args: unknown[]) => Promise<unknown> | unknown,
  ): void;
}

export interface MenuItemOptions {
  role: 'appMenu' | 'editMenu' | 'windowMenu';
}

export declare class Menu {
  static buildFromTemplate(template: MenuItemOptions[]): Menu;
  static setApplicationMenu(menu: Menu | null): void;
}

export interface Session {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(
    handler: (
      webContents: WebContents,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: WebContents | null, permission: string, requestingOrigin: string) => boolean,
  ): void;
}

export declare const app: App;
export declare const dialog: Dialog;
export declare const ipcMain: IpcMain;
export declare const nativeTheme: { readonly shouldUseDarkColors: boolean };
export declare const session: { readonly defaultSession: Session };
export declare const shell: { openExternal(url: string): Promise<void> };

// Renderer (preload) side.
export declare const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
export declare const ipcRenderer: {
  sendSync(channel: string, ...args: unknown[]): unknown;
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
};
