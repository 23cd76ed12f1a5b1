// @ts-check
/**
 * ESLint flat config: @eslint/js recommended plus typescript-eslint's strict and stylistic
 * type-checked sets, and the import rules that keep the dependency direction of DESIGN.md
 * (`protocols/` ← `feeds/` ← `server/`) and keep I/O out of `protocols/`.
 */
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Modules that do I/O, hold connections or read the process: none belongs in `protocols/`. */
const ioModules = [
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
].flatMap((name) => [name, `node:${name}`]);
const ioPackages = [
  'express',
  'mongodb',
  'better-sqlite3',
  'socket.io',
  'pino',
  'mqtt',
  'ioredis',
  'redis',
  'node-cron',
];
const protocolsPurity = 'protocols/ is pure (DESIGN.md): strings and objects in, values out.';

export default defineConfig(
  globalIgnores(['node_modules/', 'data/', 'dist/', 'client/dist/', 'coverage/']),
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `${count} alerts` and `:${port}` read better than String(count).
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // no-non-null-assertion stays on; this stylistic rule would ask for `!` instead of a cast.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      // `expect(() => parseCap(xml)).to.throw()` and `(n) => void push(n)`-style shorthands are
      // idiomatic; a void value in a real expression is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // Config files such as this one are outside tsconfig's project.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['test/**'],
    rules: {
      // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      // supertest answers and parsed JSON are `any`; the assertions are what checks them.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['protocols/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...ioModules, ...ioPackages].map((name) => ({
            name,
            message: `${protocolsPurity} Do the I/O in feeds/ or server/ and pass the data in.`,
          })),
          patterns: [
            {
              group: [...ioModules, ...ioPackages].map((name) => `${name}/*`),
              message: `${protocolsPurity} Do the I/O in feeds/ or server/ and pass the data in.`,
            },
            {
              regex: '^(\\.\\./)+(server|feeds)(/|$)',
              message: `${protocolsPurity} It must not depend on feeds/ or server/.`,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['fetch', 'process', 'setTimeout', 'setInterval', 'setImmediate'].map((name) => ({
          name,
          message: `${protocolsPurity} Take what you need as a parameter.`,
        })),
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: `${protocolsPurity} No clock: take the current time as a parameter.`,
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: `${protocolsPurity} No clock: take the current time as a parameter.`,
        },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['feeds/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+server(/|$)',
              message:
                'feeds/ sees protocols/ and the IngestPort only (DESIGN.md); the server implements the port.',
            },
          ],
        },
      ],
    },
  },
);
