package io.alphaflow.core.store;

import io.alphaflow.core.store.memory.InMemoryStore;

class InMemoryStoreTest extends StoreContractTest {
  @Override
  protected Store newStore() {
    return new InMemoryStore();
  }
}
