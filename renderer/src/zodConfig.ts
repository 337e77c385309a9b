import { z } from 'zod';

// Under the page's strict CSP, zod's probe for `new Function` is reported as a violation even
// though zod catches it. The renderer parses nothing hot with zod, so it loses nothing by
// going without the JIT. Imported first in main.tsx: schemas decide this when they are built.
z.config({ jitless: true });
