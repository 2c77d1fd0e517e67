export const App = () => <main>KartStream</main>;
