import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { MongoStore, mongoDatabaseName } from '../../../server/store/mongo/mongo-store.ts';
import { storeContract } from './contract.ts';

// DESIGN.md, "Real services": no MongoDB server can be installed on the build machines, so the
// contract runs whenever MONGODB_URI points at one and is reported as skipped otherwise.
const uri = process.env.MONGODB_URI ?? '';

if (uri === '') {
  console.log(
    'skipped: no MongoDB — set MONGODB_URI=mongodb://… to run the store contract suite against MongoDB',
  );
  describe('MongoDB store contract', () => {
    it.skip('skipped: no MongoDB (set MONGODB_URI to run the store contract against one)');
  });
} else {
  describe('MongoDB store', () => {
    // One database per store opened by this run, all dropped at the end.
    const run = `ewx_test_${String(process.pid)}_${Date.now().toString(36)}`;
    const databases: string[] = [];

    after(async () => {
      const client = new MongoClient(uri);
      try {
        for (const name of databases) await client.db(name).dropDatabase();
      } finally {
        await client.close();
      }
    });

    storeContract('MongoDB', () => {
      const dbName = `${run}_${String(databases.length)}`;
      databases.push(dbName);
      return MongoStore.connect(uri, { dbName });
    });
  });
}

describe('mongoDatabaseName', () => {
  it('reads the database from the URI path, ewx when there is none', () => {
    expect(mongoDatabaseName('mongodb://db1:27017,db2:27017/alerts?replicaSet=rs0')).to.equal(
      'alerts',
    );
    expect(mongoDatabaseName('mongodb+srv://u:p%2Fq@cluster.example.net/ewx_prod')).to.equal(
      'ewx_prod',
    );
    expect(mongoDatabaseName('mongodb://localhost:27017')).to.equal('ewx');
    expect(mongoDatabaseName('mongodb://localhost:27017/')).to.equal('ewx');
    expect(mongoDatabaseName('mongodb://localhost:27017/?w=majority')).to.equal('ewx');
  });
});
