// What waits on the phone until the server has it: answers and a submission, in IndexedDB, so a closed
// tab, a reload or a dead battery loses nothing. A tiny promise wrapper; in memory where IndexedDB is
// missing (a private window), which still covers a dropped connection while the page stays open.
// Keys: "answer:<attempt>:<position>" -> {attempt, position, seq, response}; "submit:<attempt>" -> {attempt}.
(function () {
  "use strict";
  const STORE = "waiting";
  let opened = null;

  function open() {
    if (opened) return opened;
    opened = new Promise((resolve) => {
      if (!window.indexedDB) return resolve(null);
      let request;
      try {
        request = window.indexedDB.open("drill-paper", 1);
      } catch (error) {
        return resolve(null);
      }
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    });
    return opened;
  }

  const memory = new Map();

  // Run `work(store)` in one transaction; resolves with what work's last request returned.
  function transact(mode, work) {
    return open().then(
      (db) =>
        new Promise((resolve, reject) => {
          if (!db) return resolve(work(null));
          const tx = db.transaction(STORE, mode);
          let result;
          Promise.resolve(work(tx.objectStore(STORE))).then((value) => { result = value; });
          tx.oncomplete = () => resolve(result);
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        })
    );
  }
  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function put(key, value) {
    return transact("readwrite", (store) => (store ? request(store.put(value, key)) : memory.set(key, value)));
  }
  function remove(key) {
    return transact("readwrite", (store) => (store ? request(store.delete(key)) : memory.delete(key)));
  }
  // Delete an answer only if what is stored is not newer than what the server confirmed.
  function removeUpTo(key, seq) {
    return transact("readwrite", (store) => {
      if (!store) {
        const value = memory.get(key);
        if (value && value.seq <= seq) memory.delete(key);
        return null;
      }
      return request(store.get(key)).then((value) => {
        if (value && value.seq <= seq) return request(store.delete(key));
        return null;
      });
    });
  }
  function get(key) {
    return transact("readonly", (store) => (store ? request(store.get(key)) : memory.get(key)));
  }
  // Every entry whose key starts with `prefix`.
  function list(prefix) {
    return transact("readonly", (store) => {
      if (!store) return Array.from(memory.entries()).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
      const range = IDBKeyRange.bound(prefix, prefix + "\uffff");
      return request(store.getAll(range));
    });
  }

  window.drillQueue = {
    saveAnswer: (attempt, position, seq, response) =>
      put("answer:" + attempt + ":" + position, { attempt, position, seq, response }),
    answerSent: (attempt, position, seq) => removeUpTo("answer:" + attempt + ":" + position, seq),
    answers: (attempt) => list("answer:" + attempt + ":"),
    forget: (attempt) =>
      list("answer:" + attempt + ":").then((all) =>
        Promise.all(all.map((a) => remove("answer:" + attempt + ":" + a.position))).then(() => remove("submit:" + attempt))
      ),
    wantSubmit: (attempt) => put("submit:" + attempt, { attempt }),
    submitWanted: (attempt) => get("submit:" + attempt).then((found) => Boolean(found)),
    // False where answers live only in this page's memory (no IndexedDB): leaving would lose them.
    persistent: () => open().then((db) => db !== null),
  };
})();
