import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/** `npm run screenshots`: the same browser and host as the end-to-end tests, running only screenshots.ts. */
export default defineConfig({ ...base, testMatch: 'screenshots.ts' });
